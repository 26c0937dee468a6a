// The live classroom client. Protocol: docs/live-protocol.md.
// It reconnects by itself, replays what it missed (hello with last_seq), and resends the
// messages typed while offline with their ids, so that each is stored once.
// The teacher's buttons and status lines follow the room's state: 开始上课 or 下课, one page
// of the slides at a time, 结束投票 only while a poll is open.
import { field, fromTemplate, showInstead } from "../../site/js/dom.js";
import { insertBySeq, openRoomSocket } from "../../rooms/js/room_socket.js";
import { janusVideo } from "./janus_video.js";
import { liveVideo } from "./video.js";

var root = document.getElementById("live-room");
if (root) enter(root);

function enter(root) {
  var classId = root.dataset.classId;
  var isTeacher = root.dataset.teacher === "1";
  var FINAL = {4401: "请先登录再进课堂。", 4403: "这节课不对您开放。", 4404: "没有这节课。",
               4408: "老师请您离开了这节课。"};

  function $(name) { return root.querySelector('[data-room="' + name + '"]'); }
  function action(name) { return root.querySelector('[data-action="' + name + '"]'); }
  var state = null;           // the latest room.state
  var seen = {};              // seq → true for chat already shown
  var hands = [];

  function status(text) { $("connection").textContent = text; }

  var room = openRoomSocket("/ws/live/" + classId + "/", {
    finalMessages: FINAL,
    receive: receive,
    status: function (now, text) {
      root.dataset.connection = now === "open" ? "open" : "closed";
      status(now === "open" ? "已进入课堂" : now === "final" ? text : "正在重新连接…");
    }
  });
  var command = room.command;

  function note(text) { $("chat-note").textContent = text; }

  function receive(frame) {
    var handler = HANDLERS[frame.type];
    if (handler) handler(frame.data || {}, frame);
  }

  function showChat(frame) {
    if (seen[frame.seq]) return;
    seen[frame.seq] = true;
    var data = frame.data;
    var item = fromTemplate("live-chat-template");
    item.classList.toggle("chat-teacher", !!data.teacher);
    item.classList.toggle("chat-private", !!data.private);
    item.dataset.seq = frame.seq;
    field(item, "who").textContent = (data.author || "") + (data.teacher ? "（老师）" : "") + (data.private ? " 悄悄问老师" : "") + "：";
    field(item, "text").textContent = data.deleted ? "（这条消息已被老师删除）" : data.text;
    // Only a teacher's page has the two buttons in its template.
    var remove = field(item, "delete"), mute = field(item, "mute");
    if (remove && data.deleted) remove.remove();
    else if (remove) {
      remove.setAttribute("aria-label", "删除" + data.author + "的这条消息");
      remove.onclick = function () { command("chat.delete", {seq: frame.seq}); };
    }
    if (mute && (data.deleted || data.teacher)) mute.remove();
    else if (mute) {
      mute.setAttribute("aria-label", "不让" + data.author + "发言");
      mute.onclick = function () { command("member.mute", {user_id: data.author_id, muted: true}); };
    }
    var list = $("chat");
    insertBySeq(list, item);
    list.scrollTop = list.scrollHeight;
  }

  function showSlide(slides) {
    var image = $("slide");
    $("slide-empty").hidden = !!slides.image;
    image.hidden = !slides.image;
    if (slides.image) {
      image.src = slides.image;
      image.alt = "课件第 " + (slides.page + 1) + " 页";
      $("slide-page").textContent = "第 " + (slides.page + 1) + " 页，共 " + slides.pages + " 页";
    }
    if (isTeacher) {
      // 上一页 and 下一页 only where there is such a page.
      action("slide-prev").hidden = !slides.image || slides.page === 0;
      action("slide-next").hidden = !slides.image || slides.page + 1 >= slides.pages;
    }
    if (state) state.slides = slides;
  }

  function showPoll(poll) {
    var box = $("poll");
    $("poll-empty").hidden = !!poll;
    box.hidden = !poll;
    if (isTeacher && !poll) action("poll-close").hidden = true;
    if (!poll) return;
    $("poll-question").textContent = poll.question + (poll.open === false ? "（已结束）" : "");
    var options = $("poll-options");
    options.textContent = "";
    var total = 0;
    (poll.counts || []).forEach(function (n) { total += n; });
    poll.options.forEach(function (label, index) {
      var count = (poll.counts || [])[index] || 0;
      var row = fromTemplate("live-poll-option-template");
      var voteButton = field(row, "vote");
      voteButton.classList.add(poll.my_vote === index ? "button-primary" : "button-secondary");
      voteButton.textContent = label + (poll.my_vote === index ? "（我选的）" : "");
      voteButton.disabled = poll.my_vote !== null && poll.my_vote !== undefined || poll.open === false || isTeacher;
      voteButton.onclick = function () {
        poll.my_vote = index;
        command("poll.vote", {poll_id: poll.poll_id, option: index});
        showPoll(poll);
      };
      field(row, "fill").style.width = (total ? Math.round(100 * count / total) : 0) + "%";
      field(row, "count").textContent = count + " 票";
      options.appendChild(row);
    });
    $("poll-total").textContent = "共 " + total + " 人投票";
    if (isTeacher) action("poll-close").hidden = poll.open === false;
    if (state) state.poll = poll;
  }

  function beep() {
    try {
      var audio = new (window.AudioContext || window.webkitAudioContext)();
      var tone = audio.createOscillator();
      tone.frequency.value = 660;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.25);
    } catch (e) { /* no sound: the text cue is enough */ }
  }

  function showHands() {
    if (!isTeacher) return;
    var list = $("hands");
    list.textContent = "";
    $("hands-empty").hidden = hands.length > 0;
    hands.forEach(function (hand) {
      var item = fromTemplate("live-hand-template");
      field(item, "name").textContent = hand.name + " ";
      var call = field(item, "call");
      call.textContent = "请" + hand.name + "发言";
      call.onclick = function () { command("hand.call", {user_id: hand.user_id}); };
      list.appendChild(item);
    });
  }

  function setHand(raised) {
    var button = action("hand");
    if (!button) return;
    button.textContent = raised ? "放下手" : "举手";
    button.setAttribute("aria-pressed", raised ? "true" : "false");
  }

  function showPresence(presence) {
    $("presence").textContent = "在线 " + presence.count + " 人";
    if (isTeacher && presence.people) {
      var list = $("people");
      list.textContent = "";
      presence.people.forEach(function (person) {
        var item = fromTemplate("live-person-template");
        item.textContent = person.name;
        list.appendChild(item);
      });
    }
  }

  function showClassState(value) {
    $("state").textContent = {live: "正在上课", ended: "已下课", scheduled: "还没开始上课"}[value] || "";
    if (!isTeacher) return;
    // During the class only 下课; before it, or after (to go on again), only 开始上课.
    var start = [action("class-start")], end = [action("class-end")];
    if (value === "live") showInstead(end, start);
    else showInstead(start, end);
  }

  var HANDLERS = {
    "room.state": function (data) {
      state = data;
      if (data.last_seq > room.lastSeq && room.lastSeq === 0) room.lastSeq = data.last_seq;
      data.recent_chat.forEach(showChat);
      showSlide(data.slides);
      showPoll(data.poll);
      hands = data.hands;
      showHands();
      setHand(data.me.hand_raised);
      showPresence(data.presence);
      showClassState(data["class"].state);
      var muteAll = action("mute-all");
      if (muteAll) muteAll.setAttribute("aria-pressed", data.chat_muted ? "true" : "false");
    },
    "resync": function () {
      // Too much was missed to replay: start again from the snapshot just received.
      $("chat").textContent = "";
      seen = {};
      if (state) state.recent_chat.forEach(showChat);
    },
    "ack": function () {
      var chatNote = $("chat-note");
      if (!room.pending() && chatNote.dataset.offline) { note(""); delete chatNote.dataset.offline; }
    },
    "error": function (data, frame) {
      if (frame.code === "video_full" && $("video-status")) { $("video-status").textContent = frame.message; return; }
      note(frame.message);
    },
    "chat.message": function (data, frame) { showChat(frame); },
    "chat.deleted": function (data) {
      var item = $("chat").querySelector('[data-seq="' + data.seq + '"]');
      if (item) item.remove();
    },
    "member.muted": function (data) {
      if (state && data.user_id === state.me.user_id) note(data.muted ? "老师暂时关闭了您的发言。" : "老师让您可以发言了。");
    },
    "room.muted": function (data) {
      note(data.muted ? "老师暂时关闭了全体发言，可以“悄悄问老师”。" : "老师打开了全体发言。");
      var muteAll = action("mute-all");
      if (muteAll) muteAll.setAttribute("aria-pressed", data.muted ? "true" : "false");
    },
    "member.removed": function () {},
    "hand.raised": function (data) {
      if (isTeacher) {
        hands = hands.filter(function (h) { return h.user_id !== data.user_id; }).concat([data]);
        showHands();
        beep();
        note("有人举手：" + data.name);
      } else if (state && data.user_id === state.me.user_id) setHand(true);
    },
    "hand.lowered": function (data) {
      hands = hands.filter(function (h) { return h.user_id !== data.user_id; });
      showHands();
      if (state && data.user_id === state.me.user_id) setHand(false);
    },
    "hand.called": function (data) {
      hands = hands.filter(function (h) { return h.user_id !== data.user_id; });
      showHands();
      var called = $("called");
      called.hidden = false;
      called.textContent = state && data.user_id === state.me.user_id
        ? "老师请您发言了！请打开麦克风或直接说。" : "老师请 " + data.name + " 发言";
      if (state && data.user_id === state.me.user_id) setHand(false);
    },
    "slide.changed": function (data) {
      // The teacher's status line follows the slides: the rendered deck arrives at page 1
      // (the upload only said it was being converted); after a page turn it has nothing to say.
      if (isTeacher) {
        $("slides-status").textContent = data.page === 0 ? "课件已经放好，大家看到的是第 1 页。" : "";
      }
      showSlide(data);
    },
    "poll.opened": function (data) {
      showPoll({poll_id: data.poll_id, question: data.question, options: data.options,
                counts: data.options.map(function () { return 0; }), my_vote: null, open: true});
    },
    "poll.results": function (data) {
      if (state && state.poll && state.poll.poll_id === data.poll_id) {
        state.poll.counts = data.counts;
        showPoll(state.poll);
      }
    },
    "poll.closed": function (data) {
      if (state && state.poll && state.poll.poll_id === data.poll_id) {
        state.poll.counts = data.counts;
        state.poll.open = false;
        showPoll(state.poll);
      }
    },
    "presence": showPresence,
    "class.started": function () { showClassState("live"); },
    "class.ended": function () {
      showClassState("ended");
      var rating = $("rating");
      if (rating) { rating.hidden = false; rating.scrollIntoView({block: "center"}); }
    },
    "pong": function () {}
  };

  action("chat").addEventListener("submit", function (event) {
    event.preventDefault();
    var field = event.target.elements.text;
    var text = field.value.trim();
    if (!text) { note("请先写几个字再发送。"); return; }
    var privateBox = event.target.elements["private"];
    var online = room.deliver("chat.send", {text: text, "private": !!(privateBox && privateBox.checked)});
    field.value = "";
    if (online) note("");
    else { note("网络断了，恢复后会自动发出。"); $("chat-note").dataset.offline = "1"; }
  });

  var hand = action("hand");
  if (hand) hand.addEventListener("click", function () {
    command(hand.getAttribute("aria-pressed") === "true" ? "hand.lower" : "hand.raise");
  });

  if (isTeacher) {
    action("class-start").onclick = function () { command("class.start"); };
    action("class-end").onclick = function () { command("class.end"); };
    action("mute-all").onclick = function () {
      command("room.mute", {muted: action("mute-all").getAttribute("aria-pressed") !== "true"});
    };
    action("slide-prev").onclick = function () {
      if (state && state.slides.page > 0) command("slide.go", {page: state.slides.page - 1});
    };
    action("slide-next").onclick = function () {
      if (state && state.slides.page + 1 < state.slides.pages) command("slide.go", {page: state.slides.page + 1});
    };
    action("poll-open").addEventListener("submit", function (event) {
      event.preventDefault();
      var form = event.target;
      var options = form.elements.options.value.split("\n").map(function (s) { return s.trim(); }).filter(Boolean);
      command("poll.open", {question: form.elements.question.value, options: options});
    });
    var slidesFile = root.querySelector("#slides-file");
    action("slides-choose").onclick = function () { slidesFile.click(); };
    slidesFile.addEventListener("change", function () {
      var names = Array.prototype.map.call(slidesFile.files, function (file) { return file.name; });
      $("slides-chosen").textContent = names.length
        ? "已选：" + names.join("、") + (names.length > 1 ? "（共 " + names.length + " 个文件）" : "")
        : "还没有选文件。";
    });
    action("slides-upload").addEventListener("submit", function (event) {
      event.preventDefault();
      var form = event.target;
      var status = $("slides-status");
      status.textContent = "正在上传课件…";
      fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                          headers: {"Accept": "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (reply) {
          // The rendered slides may have arrived first (a quick worker): then they have said it.
          if (reply.error || status.textContent === "正在上传课件…") {
            status.textContent = reply.message || reply.error;
          }
          form.reset();
          $("slides-chosen").textContent = "还没有选文件。";
        })
        .catch(function () { status.textContent = "课件没能上传，请检查网络后再试。"; });
    });
    action("poll-close").onclick = function () {
      if (state && state.poll) command("poll.close", {poll_id: state.poll.poll_id});
    };
  }

  var video = null;
  // Janus when the server has it (the page then holds this person's access to the class's
  // Janus room); browser to browser otherwise, unless the panel says video is unavailable.
  var janusAccess = document.getElementById("live-janus");
  var videoHooks = {
    isTeacher: isTeacher,
    classId: classId,
    find: $,
    action: action,
    command: command,
    me: function () { return state ? state.me.user_id : null; }
  };
  if (root.dataset.video === "webrtc" && window.RTCPeerConnection && $("video")) {
    video = janusAccess
      ? janusVideo(videoHooks, JSON.parse(janusAccess.textContent))
      : liveVideo(videoHooks);
  }
  HANDLERS["rtc.signal"] = function (data) { if (video) video.signal(data); };
  var showState = HANDLERS["room.state"];
  HANDLERS["room.state"] = function (data) {
    showState(data);
    if (video) video.joined();
  };

  // For the browser tests: drop the connection as a network would.
  window.liveRoom = {drop: room.drop};
  room.start();
}
