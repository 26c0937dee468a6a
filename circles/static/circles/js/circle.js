// A study circle's chat: text, voice messages, pictures and short videos, history loaded a
// page at a time upwards, 朗读 on every text message, moderation for 圈主 and teachers.
// The connection (reconnect, catch-up, resend) is room_socket.js, shared with the live class.
import { field, fromTemplate } from "../../site/js/dom.js";
import { NO_VOICE, speakText, withChineseVoice } from "../../site/js/speech.js";
import { insertBySeq, openRoomSocket } from "../../rooms/js/room_socket.js";

var root = document.getElementById("circle-chat");
if (root) enter(root);

function enter(root) {
  var circleId = root.dataset.circleId;
  var moderates = root.dataset.moderates === "1";
  var maxSeconds = parseInt(root.dataset.maxSeconds, 10) || 60;
  var FINAL = {4401: "请先登录。", 4403: "您不在这个学习圈里。", 4404: "没有这个学习圈。"};

  function $(name) { return root.querySelector('[data-room="' + name + '"]'); }
  function action(name) { return root.querySelector('[data-action="' + name + '"]'); }
  function note(text) { $("chat-note").textContent = text; }

  var log = $("chat");
  var state = null, voice = null, oldestSeq = null, readTimer = null;
  var shown = {};   // seq → the list item

  var room = openRoomSocket("/ws/circle/" + circleId + "/", {
    finalMessages: FINAL,
    receive: receive,
    status: function (now, text) {
      root.dataset.connection = now === "open" ? "open" : "closed";
      $("connection").textContent = now === "open" ? "已连上，可以聊天" : now === "final" ? text : "网络断了，正在重新连接…";
    }
  });

  // Beijing time whatever the device's clock is set to: "今天 下午3:05", "昨天 …", "3月5日 …".
  var BEIJING = {timeZone: "Asia/Shanghai", year: "numeric", month: "numeric", day: "numeric",
                 hour: "numeric", minute: "2-digit", hourCycle: "h23"};
  function beijing(date) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", BEIJING).formatToParts(date).forEach(function (part) {
      parts[part.type] = part.value;
    });
    return parts;
  }
  function clock(iso) {
    var when = beijing(new Date(iso)), now = new Date();
    var today = beijing(now), yesterday = beijing(new Date(now.getTime() - 86400000));
    var hours = parseInt(when.hour, 10) % 24;
    var part = hours < 6 ? "凌晨" : hours < 12 ? "上午" : hours < 13 ? "中午" : hours < 18 ? "下午" : "晚上";
    var time = part + (hours > 12 ? hours - 12 : hours) + ":" + when.minute;
    function sameDay(other) { return other.year === when.year && other.month === when.month && other.day === when.day; }
    if (sameDay(today)) return "今天 " + time;
    if (sameDay(yesterday)) return "昨天 " + time;
    return when.month + "月" + when.day + "日 " + time;
  }

  function button(label, name, onClick) {
    var b = fromTemplate("circle-tool-template");
    b.textContent = label;
    b.setAttribute("aria-label", name);
    b.addEventListener("click", onClick);
    return b;
  }

  function body(data) {
    if (data.deleted) return fromTemplate("circle-deleted-template");
    if (data.kind === "voice") {
      var box = fromTemplate("circle-voice-template");
      var audio = field(box, "audio");
      audio.src = data.url;
      var play = field(box, "play");
      play.textContent = "▶ 听语音 " + data.seconds + " 秒";
      play.setAttribute("aria-label", "听" + data.author + "的语音，" + data.seconds + " 秒");
      play.addEventListener("click", function () {
        if (!audio.paused) { audio.pause(); return; }
        audio.play().catch(function () { note("语音没能播放，请再按一次。"); });
      });
      audio.addEventListener("play", function () { play.textContent = "■ 停止"; root.dataset.playing = "1"; });
      audio.addEventListener("pause", function () { play.textContent = "▶ 听语音 " + data.seconds + " 秒"; });
      audio.addEventListener("ended", function () { audio.currentTime = 0; });
      return box;
    }
    if (data.kind === "image") {
      var link = fromTemplate("circle-image-template");
      link.href = data.url;
      var image = field(link, "image");
      image.src = data.url;
      image.alt = data.author + "发的照片";
      return link;
    }
    if (data.kind === "video") {
      var video = fromTemplate("circle-video-template");
      video.src = data.url;
      video.setAttribute("aria-label", data.author + "发的短视频");
      return video;
    }
    var text = fromTemplate("circle-text-template");
    text.textContent = data.text;
    return text;
  }

  function render(frame) {
    var data = frame.data;
    var item = fromTemplate("circle-message-template");
    item.classList.toggle("chat-teacher", !!data.teacher);
    item.dataset.seq = frame.seq;
    field(item, "who").textContent = (data.author || "") + (data.role ? "（" + data.role + "）" : "");
    field(item, "when").textContent = " " + clock(frame.ts);
    var tools = field(item, "tools");
    item.insertBefore(body(data), tools);
    if (data.deleted) tools.remove();
    else {
      if (data.kind === "text" && voice) {
        tools.appendChild(button("朗读", "朗读" + data.author + "的这条消息", function () { speak(data.text); }));
      }
      var mine = state && data.author_id === state.me.user_id;
      if (!mine) {
        tools.appendChild(button("举报", "举报" + data.author + "的这条消息", function () {
          room.command("chat.report", {seq: frame.seq, reason: ""});
          note("已经举报给工作人员，谢谢您。");
        }));
      }
      if (moderates) {
        tools.appendChild(button("删除", "删除" + data.author + "的这条消息", function () {
          room.command("chat.delete", {seq: frame.seq});
        }));
        if (!data.teacher && !mine) {
          tools.appendChild(button("禁言一天", "让" + data.author + "一天不能发言", function () {
            room.command("member.mute", {user_id: data.author_id, minutes: 24 * 60});
          }));
        }
      }
    }
    return item;
  }

  // The page scrolls, not a box inside it: one scroll bar, as in any document.
  var page = document.scrollingElement || document.documentElement;
  function atBottom() { return page.scrollHeight - page.scrollTop - window.innerHeight < 200; }
  function toNewest() { log.lastChild && log.lastChild.scrollIntoView({block: "nearest"}); }

  function append(frame) {
    if (shown[frame.seq]) return;
    var stick = atBottom();
    var item = render(frame);
    shown[frame.seq] = item;
    insertBySeq(log, item);
    $("chat-empty").hidden = true;
    if (stick || (state && frame.data.author_id === state.me.user_id)) toNewest();
    markRead();
  }

  function prepend(frames) {
    var before = page.scrollHeight;
    var first = log.firstChild;
    frames.forEach(function (frame) {
      if (shown[frame.seq]) return;
      var item = render(frame);
      shown[frame.seq] = item;
      log.insertBefore(item, first);
    });
    window.scrollBy(0, page.scrollHeight - before);   // keep what the reader was looking at in place
  }

  function showOlder(more, frames) {
    if (frames.length) oldestSeq = frames[0].seq;
    action("older").hidden = !more;
  }

  var loadingOlder = false;
  function loadOlder() {
    if (loadingOlder || oldestSeq === null || action("older").hidden) return;
    loadingOlder = true;
    fetch(root.dataset.historyUrl + "?before=" + oldestSeq, {credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (page) { prepend(page.messages); showOlder(page.more, page.messages); })
      .catch(function () { note("更早的消息没能打开，请再试一次。"); })
      .then(function () { loadingOlder = false; });
  }
  action("older").addEventListener("click", loadOlder);
  if (window.IntersectionObserver) {
    // Scrolling up to the top of the conversation brings the page before it.
    new IntersectionObserver(function (entries) {
      if (entries[0].isIntersecting && state) loadOlder();
    }).observe(action("older"));
  }

  function markRead() {
    if (document.hidden || readTimer) return;
    readTimer = setTimeout(function () {
      readTimer = null;
      if (room.connected()) room.command("read", {seq: room.lastSeq});
    }, 500);
  }
  document.addEventListener("visibilitychange", markRead);

  var stopSpeaking = null;
  function speak(text) {
    if (stopSpeaking) stopSpeaking();
    stopSpeaking = speakText(voice, text, 0.85, function () { stopSpeaking = null; });
  }

  function rebuild(data) {
    log.textContent = "";
    shown = {};
    data.recent_chat.forEach(append);
    showOlder(data.more, data.recent_chat);
    $("chat-empty").hidden = data.recent_chat.length > 0;
    toNewest();
  }

  function showPresence(presence) {
    $("presence").textContent = "现在在线 " + presence.count + " 人" +
      (presence.people ? "：" + presence.people.map(function (p) { return p.name; }).join("、") : "");
  }

  function receive(frame) {
    var data = frame.data || {};
    switch (frame.type) {
      case "room.state":
        var first = state === null;
        state = data;
        if (first) { room.reset(data.last_seq); rebuild(data); }
        showPresence(data.presence);
        if (data.me.muted_until && new Date(data.me.muted_until) > new Date()) {
          note("圈主暂时关闭了您的发言，到 " + clock(data.me.muted_until) + " 恢复。");
        }
        break;
      case "resync":
        if (state) { room.reset(state.last_seq); rebuild(state); }
        break;
      case "chat.message": append(frame); break;
      case "chat.deleted":
        var item = shown[data.seq];
        if (item) item.replaceWith(shown[data.seq] = render({seq: data.seq, ts: new Date().toISOString(), data: {deleted: true, author: ""}}));
        break;
      case "member.muted":
        if (state && data.user_id === state.me.user_id) {
          note(data.muted ? "圈主暂时关闭了您的发言，到 " + clock(data.until) + " 恢复。" : "您可以发言了。");
        } else if (moderates) note(data.muted ? "已让" + data.name + "暂时不能发言。" : "");
        break;
      case "presence": showPresence(data); break;
      case "error": note(frame.message); break;
      case "ack":
        if (!room.pending() && $("chat-note").dataset.offline) { note(""); delete $("chat-note").dataset.offline; }
        break;
    }
  }

  action("chat").addEventListener("submit", function (event) {
    event.preventDefault();
    var field = event.target.elements.text;
    var text = field.value.trim();
    if (!text) { note("请先写几个字再发送。"); field.focus(); return; }
    var online = room.deliver("chat.send", {text: text});
    field.value = "";
    if (online) note("");
    else { note("网络断了，恢复后会自动发出。"); $("chat-note").dataset.offline = "1"; }
  });

  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function upload(file, kind, seconds, done) {
    var form = new FormData();
    form.append("file", file, file.name || (kind + ".webm"));
    form.append("kind", kind);
    form.append("seconds", String(seconds || 0));
    form.append("id", room.newId());
    note("正在发送…");
    fetch(root.dataset.uploadUrl, {method: "POST", body: form, credentials: "same-origin",
                                   headers: {"X-CSRFToken": csrf(), "Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (reply) { note(reply.error || ""); if (done) done(!reply.error); })
      .catch(function () { note("没能发出去，请检查网络后再试一次。"); if (done) done(false); });
  }

  // 录语音: press once to start and once to stop (for shaky hands), or press and hold.
  var voiceButton = action("voice"), cancelButton = action("voice-cancel");
  var recorder = null, starting = false, chunks = [], startedAt = 0, ticker = null, cancelled = false;
  var voiceHint = $("voice-status").textContent;

  function voiceStatus(text) { $("voice-status").textContent = text; }

  function startRecording() {
    if (!navigator.mediaDevices || !window.MediaRecorder) {
      voiceStatus("这个浏览器不能录语音，可以打字，或换用新一点的浏览器。");
      return;
    }
    starting = true;
    navigator.mediaDevices.getUserMedia({audio: true}).then(function (stream) {
      starting = false;
      chunks = [];
      cancelled = false;
      recorder = new MediaRecorder(stream);
      recorder.ondataavailable = function (event) { if (event.data.size) chunks.push(event.data); };
      recorder.onstop = function () {
        stream.getTracks().forEach(function (track) { track.stop(); });
        var seconds = Math.max(1, Math.round((Date.now() - startedAt) / 1000));
        var blob = new Blob(chunks, {type: recorder.mimeType || "audio/webm"});
        recorder = null;
        clearInterval(ticker);
        voiceButton.textContent = "录语音";
        voiceButton.setAttribute("aria-pressed", "false");
        cancelButton.hidden = true;
        if (cancelled) { voiceStatus("已取消，这段语音没有发出。"); return; }
        voiceStatus("正在发送语音…");
        upload(blob, "voice", Math.min(seconds, maxSeconds), function (ok) {
          voiceStatus(ok ? "语音已发出。" + voiceHint : voiceHint);
        });
      };
      recorder.start(1000);
      startedAt = Date.now();
      voiceButton.textContent = "说完了，发送";
      voiceButton.setAttribute("aria-pressed", "true");
      cancelButton.hidden = false;
      voiceStatus("正在录音：0 秒，最长 " + maxSeconds + " 秒。说完按“说完了，发送”。");
      ticker = setInterval(function () {
        var seconds = Math.round((Date.now() - startedAt) / 1000);
        voiceStatus("正在录音：" + seconds + " 秒，最长 " + maxSeconds + " 秒。说完按“说完了，发送”。");
        if (seconds >= maxSeconds) stopRecording();
      }, 1000);
    }).catch(function () {
      starting = false;
      voiceStatus("没能打开麦克风。请在浏览器地址栏左边的小锁图标里允许使用麦克风，再按一次“录语音”。也可以打字。");
    });
  }

  function stopRecording() { if (recorder && recorder.state !== "inactive") recorder.stop(); }

  // A press starts recording at once; released after more than a second it sends (press and
  // hold), a short tap leaves it recording until the next press. Keys give plain clicks.
  var pressedAt = 0, skipClick = false;
  voiceButton.addEventListener("pointerdown", function () {
    if (recorder || starting) return;
    pressedAt = Date.now();
    skipClick = true;
    startRecording();
  });
  voiceButton.addEventListener("pointerup", function () {
    if (pressedAt && Date.now() - pressedAt > 1000) stopRecording();
    pressedAt = 0;
  });
  voiceButton.addEventListener("click", function () {
    if (skipClick) { skipClick = false; return; }
    if (recorder) stopRecording(); else if (!starting) startRecording();
  });
  cancelButton.addEventListener("click", function () { cancelled = true; stopRecording(); });

  var fileInput = action("share-file");
  action("share").addEventListener("click", function () { fileInput.click(); });
  fileInput.addEventListener("change", function () {
    var file = fileInput.files[0];
    if (!file) return;
    upload(file, /^video\//.test(file.type) ? "video" : "image", 0);
    fileInput.value = "";
  });

  withChineseVoice(function (found) {
    voice = found;
    if (!voice) { $("speech-note").hidden = false; $("speech-note").textContent = NO_VOICE; }
    else if (state) rebuild(state);
  });

  // For the browser tests: drop the connection as a network would.
  window.circleChat = {drop: room.drop};
  room.start();
}
