// Lesson video and audio: big play and speed buttons, resume where the retiree stopped, and
// report the position every 10 seconds while playing, at pause and end, and on leaving.

var REPORT_EVERY_SECONDS = 10;

function csrfToken(box) {
  var input = box.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function setUp(box) {
  var media = box.querySelector("[data-media]");
  var play = box.querySelector("[data-play]");
  var status = box.querySelector("[data-player-status]");
  var reportUrl = box.getAttribute("data-position-url");
  var start = parseFloat(box.getAttribute("data-start") || "0");
  var lastReported = -1;

  function report(finished) {
    if (!reportUrl) return;
    var seconds = Math.floor(media.currentTime || 0);
    if (!finished && seconds === lastReported) return;
    lastReported = seconds;
    var body = new URLSearchParams({ seconds: String(seconds), finished: finished ? "1" : "0" });
    fetch(reportUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken(box) },
      body: body,
      credentials: "same-origin",
    }).then(function (response) {
      box.setAttribute("data-reported", String(seconds));
      if (finished && response.ok) status.textContent = "看完了，这一课已记为学完。";
    }).catch(function () { /* the next report will try again */ });
  }

  // Leaving the page while it plays (a link, another app, the phone locked): the position
  // goes by beacon, which the browser still sends after the page has gone.
  function reportOnLeaving() {
    var seconds = Math.floor(media.currentTime || 0);
    // Never played here: nothing to keep (and the saved place must not become 0).
    if (!reportUrl || !navigator.sendBeacon || !media.played.length) return;
    if (seconds === lastReported) return;
    var body = new URLSearchParams({
      seconds: String(seconds), finished: "0", csrfmiddlewaretoken: csrfToken(box),
    });
    if (navigator.sendBeacon(reportUrl, body)) lastReported = seconds;
  }
  window.addEventListener("pagehide", reportOnLeaving);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") reportOnLeaving();
  });

  function whenKnown() {
    if (start > 0 && start < media.duration - 1) {
      media.currentTime = start;
      status.textContent = "已经跳到上次看到的地方。";
    }
    box.setAttribute("data-ready", "1");
  }
  // A fast (or cached) file can have its length known before this script runs.
  if (media.readyState >= 1) whenKnown();
  else media.addEventListener("loadedmetadata", whenKnown, { once: true });
  media.addEventListener("play", function () { play.textContent = "暂停"; });
  media.addEventListener("pause", function () { play.textContent = "播放"; report(false); });
  media.addEventListener("ended", function () { play.textContent = "重新播放"; report(true); });
  media.addEventListener("timeupdate", function () {
    if (Math.floor(media.currentTime) - lastReported >= REPORT_EVERY_SECONDS) report(false);
  });

  play.addEventListener("click", function () {
    if (media.paused || media.ended) {
      var attempt = media.play();
      if (attempt && attempt.catch) {
        attempt.catch(function () { status.textContent = "播放不了，请再按一次“播放”。"; });
      }
    } else {
      media.pause();
    }
  });

  box.querySelectorAll("[data-speed]").forEach(function (button) {
    button.addEventListener("click", function () {
      media.playbackRate = parseFloat(button.getAttribute("data-speed"));
      box.querySelectorAll("[data-speed]").forEach(function (other) {
        other.setAttribute("aria-pressed", other === button ? "true" : "false");
      });
      status.textContent = "播放速度：" + button.textContent;
    });
  });
}

document.querySelectorAll("[data-lesson-player]").forEach(setUp);
