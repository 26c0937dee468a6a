// 朗读: Mandarin speech through the browser's own speech synthesis (no third party).
// Long text is read in short chunks, because some browsers stop a long utterance silently.
(function () {
  "use strict";
  var CHUNK = 80;

  function chunksOf(text) {
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

  function setUp(box) {
    var target = document.getElementById(box.dataset.readAloud);
    var controls = box.querySelector(".read-aloud-controls");
    var toggle = box.querySelector(".read-aloud-toggle");
    var slow = box.querySelector("input[type=checkbox]");
    var status = box.querySelector(".read-aloud-status");
    box.hidden = false;
    if (!target) return;
    if (!("speechSynthesis" in window) || !window.SpeechSynthesisUtterance) {
      status.textContent = "这个浏览器不能朗读。可以按右上角的“长辈模式”把字放大。";
      return;
    }
    whenVoicesKnown(function () {
      var voice = chineseVoice();
      if (!voice) {
        status.textContent = "这个浏览器没有普通话朗读声音，暂时不能朗读。可以按右上角的“长辈模式”把字放大。";
        return;
      }
      controls.hidden = false;
      var reading = false;

      function stop(message) {
        reading = false;
        window.speechSynthesis.cancel();
        toggle.textContent = "朗读";
        toggle.setAttribute("aria-pressed", "false");
        status.textContent = message;
      }

      function speak(chunks, index) {
        if (!reading) return;
        if (index >= chunks.length) return stop("读完了。");
        var utterance = new SpeechSynthesisUtterance(chunks[index]);
        utterance.lang = "zh-CN";
        utterance.voice = voice;
        utterance.rate = slow.checked ? 0.7 : 1;
        utterance.onend = function () { speak(chunks, index + 1); };
        utterance.onerror = function () { if (reading) stop("朗读停了。可以再按一次“朗读”。"); };
        window.speechSynthesis.speak(utterance);
      }

      toggle.addEventListener("click", function () {
        if (reading) return stop("已停止朗读。");
        reading = true;
        window.speechSynthesis.cancel();
        toggle.textContent = "停止朗读";
        toggle.setAttribute("aria-pressed", "true");
        status.textContent = "正在朗读。再按一次就停。";
        speak(chunksOf(target.innerText), 0);
      });
      window.addEventListener("pagehide", function () { if (reading) stop(""); });
    });
  }

  document.querySelectorAll("[data-read-aloud]").forEach(setUp);
  window.readAloudChunks = chunksOf;
})();
