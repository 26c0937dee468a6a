// 朗读 boxes: each reads the words of the part of the page it names (data-read-aloud) aloud,
// in Mandarin, with speech.js.
import { NO_VOICE, speakText, withChineseVoice } from "./speech.js";

// The words of the page, not its controls: buttons, players and forms are left out.
function readableText(target) {
  var copy = target.cloneNode(true);
  copy.querySelectorAll("button, video, audio, form, script, [data-read-aloud-skip], .read-aloud")
    .forEach(function (node) { node.remove(); });
  return copy.textContent;
}

var noVoiceSaid = false;

function setUp(box) {
  var target = document.getElementById(box.dataset.readAloud);
  var controls = box.querySelector(".read-aloud-controls");
  var toggle = box.querySelector(".read-aloud-toggle");
  var slow = box.querySelector("input[type=checkbox]");
  var status = box.querySelector(".read-aloud-status");
  box.hidden = false;
  if (!target) return;
  withChineseVoice(function (voice) {
    if (!voice) {
      // Said once on a page, however many parts of it could be read aloud.
      if (noVoiceSaid) box.hidden = true;
      else status.textContent = NO_VOICE;
      noVoiceSaid = true;
      return;
    }
    controls.hidden = false;
    var stopReading = null;

    function stop(message) {
      if (stopReading) stopReading();
      stopReading = null;
      toggle.textContent = "朗读";
      toggle.setAttribute("aria-pressed", "false");
      status.textContent = message;
    }

    toggle.addEventListener("click", function () {
      if (stopReading) return stop("已停止朗读。");
      toggle.textContent = "停止朗读";
      toggle.setAttribute("aria-pressed", "true");
      status.textContent = "正在朗读。再按一次就停。";
      stopReading = speakText(voice, readableText(target), slow.checked ? 0.7 : 1, function (how) {
        stopReading = null;
        stop(how === "end" ? "读完了。" : "朗读停了。可以再按一次“朗读”。");
      });
    });
    window.addEventListener("pagehide", function () { if (stopReading) stop(""); });
  });
}

document.querySelectorAll("[data-read-aloud]").forEach(setUp);
