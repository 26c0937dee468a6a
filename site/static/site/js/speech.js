// Mandarin speech through the browser's own speech synthesis (no third party), for the 朗读
// boxes (read_aloud.js) and a circle's chat messages (circle.js). Nothing happens on loading.
// Long text is read in short chunks, because some browsers stop a long utterance silently.
var CHUNK = 80;

export function chunksOf(text) {
  var sentences = text.replace(/\s+/g, " ").match(/[^。！？；!?;]+[。！？；!?;]?/g) || [];
  var chunks = [];
  var current = "";
  sentences.forEach(function (sentence) {
    sentence = sentence.trim();
    while (sentence.length > CHUNK) {
      var cut = sentence.lastIndexOf("，", CHUNK);
      cut = cut > 10 ? cut + 1 : CHUNK;
      chunks.push(sentence.slice(0, cut));
      sentence = sentence.slice(cut);
    }
    if ((current + sentence).length > CHUNK && current) {
      chunks.push(current);
      current = "";
    }
    current += sentence;
  });
  if (current.trim()) chunks.push(current);
  return chunks;
}

function chineseVoice() {
  var voices = window.speechSynthesis.getVoices();
  for (var i = 0; i < voices.length; i++) {
    if (/^zh([-_]CN|[-_]Hans)?/i.test(voices[i].lang) && !/HK|TW/i.test(voices[i].lang)) return voices[i];
  }
  return null;
}

function whenVoicesKnown(callback) {
  if (window.speechSynthesis.getVoices().length) return callback();
  var done = false;
  function finish() { if (!done) { done = true; callback(); } }
  window.speechSynthesis.addEventListener("voiceschanged", finish);
  setTimeout(finish, 2000);
}

// Reads text in chunks, one after the other; returns a function that stops it. done("end")
// when everything was read, done("error") when the browser gave up.
export function speakText(voice, text, rate, done) {
  var stopped = false;
  var chunks = chunksOf(text);
  function next(index) {
    if (stopped) return;
    if (index >= chunks.length) { stopped = true; done("end"); return; }
    var utterance = new SpeechSynthesisUtterance(chunks[index]);
    utterance.lang = "zh-CN";
    utterance.voice = voice;
    utterance.rate = rate;
    utterance.onend = function () { next(index + 1); };
    utterance.onerror = function () { if (!stopped) { stopped = true; done("error"); } };
    window.speechSynthesis.speak(utterance);
  }
  window.speechSynthesis.cancel();
  next(0);
  return function stop() { stopped = true; window.speechSynthesis.cancel(); };
}

// callback(voice) once the browser's voices are known; voice is null without Mandarin.
export function withChineseVoice(callback) {
  if (!("speechSynthesis" in window) || !window.SpeechSynthesisUtterance) return callback(null);
  whenVoicesKnown(function () { callback(chineseVoice()); });
}

// True wherever it is read: the switch is at the top of every page (not always at the
// right), and in 长辈模式 the text is already large.
export var NO_VOICE = "这个浏览器没有普通话朗读声音，暂时不能朗读。" +
  (document.documentElement.classList.contains("elder-mode")
    ? "" : "字太小可以按页面最上面的“开启长辈模式”。");
