// Browser-to-browser video for small classes: the teacher's page sends its camera or screen
// to each participant over its own RTCPeerConnection; offers, answers and ICE candidates
// travel as rtc.signal frames through the room socket (docs/live-protocol.md).
// Nothing plays with sound until the retiree presses 播放 (no autoplay with sound).
// Signals go as commands, without ids: nothing waits for their acks, and a video setup sends
// dozens of ICE candidates.
import { showInstead } from "../../site/js/dom.js";

export function liveVideo(room) {
  var iceServers = JSON.parse(document.getElementById("live-ice-servers").textContent);
  var video = room.find("video");
  var status = room.find("video-status");
  var peers = {};          // user id → RTCPeerConnection (teacher: one per participant)
  var stream = null;       // the teacher's outgoing stream
  var audioOnly = {};      // user id → true when that participant asked for sound only
  var recording = tabRecording(room);

  function signal(kind, to, payload) {
    room.command("rtc.signal", {kind: kind, to: to, payload: payload || {}});
  }

  function newPeer(otherId) {
    if (peers[otherId]) peers[otherId].close();
    var peer = new RTCPeerConnection({iceServers: iceServers});
    peer.onicecandidate = function (event) {
      if (event.candidate) signal("ice", otherId, event.candidate.toJSON());
    };
    peers[otherId] = peer;
    return peer;
  }

  // --- Teacher -----------------------------------------------------------------------
  function offerTo(userId) {
    if (!stream) return;
    var peer = newPeer(userId);
    stream.getTracks().forEach(function (track) {
      if (!(audioOnly[userId] && track.kind === "video")) peer.addTrack(track, stream);
    });
    peer.createOffer().then(function (offer) {
      return peer.setLocalDescription(offer);
    }).then(function () {
      signal("offer", userId, {sdp: peer.localDescription.sdp, type: peer.localDescription.type});
    });
  }

  function showBroadcasting(on) { showBroadcastButtons(room, on); }

  function startBroadcast(getStream) {
    getStream().then(function (media) {
      stream = media;
      video.srcObject = media;
      video.hidden = false;
      video.play();
      status.textContent = "正在直播。大家看到的就是这个画面。";
      showBroadcasting(true);
      recording.start(media);
      signal("ready", null);
    }).catch(function () {
      status.textContent = "没能打开摄像头或麦克风。请在浏览器地址栏旁边允许使用摄像头，再按一次。";
    });
  }

  function stopBroadcast() {
    recording.stop();
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    Object.keys(peers).forEach(function (id) { peers[id].close(); delete peers[id]; });
    video.hidden = true;
    showBroadcasting(false);
    status.textContent = "直播已停止。";
    signal("stop", null);
  }

  // --- Participant ---------------------------------------------------------------------
  var play = room.action("video-play");
  function requestVideo() {
    var only = room.action("audio-only");
    signal("request", null, {audio_only: !!(only && only.checked)});
  }

  function answer(from, payload) {
    var peer = newPeer(from);
    peer.ontrack = function (event) {
      video.srcObject = event.streams[0];
      play.hidden = false;
      status.textContent = "老师的直播来了，请按“播放”。";
    };
    peer.setRemoteDescription(payload).then(function () {
      return peer.createAnswer();
    }).then(function (reply) {
      return peer.setLocalDescription(reply);
    }).then(function () {
      signal("answer", from, {sdp: peer.localDescription.sdp, type: peer.localDescription.type});
    });
  }

  if (room.isTeacher) {
    room.action("video-camera").onclick = function () {
      startBroadcast(function () { return navigator.mediaDevices.getUserMedia({video: true, audio: true}); });
    };
    room.action("video-screen").onclick = function () {
      startBroadcast(function () { return navigator.mediaDevices.getDisplayMedia({video: true, audio: true}); });
    };
    room.action("video-stop").onclick = stopBroadcast;
  } else {
    play.onclick = function () {
      video.hidden = room.action("audio-only").checked;
      video.muted = false;
      video.play();
      play.hidden = true;
      status.textContent = room.action("audio-only").checked ? "正在播放老师的声音。" : "正在播放老师的直播。";
    };
    room.action("audio-only").onchange = function () {
      video.hidden = this.checked || !play.hidden;
      requestVideo();
    };
  }

  return {
    joined: function () { if (!room.isTeacher) requestVideo(); },
    signal: function (data) {
      var me = room.me();
      if (data.from === me || (data.to !== null && data.to !== me)) return;
      var peer = peers[data.from];
      if (room.isTeacher) {
        if (data.kind === "request") { audioOnly[data.from] = !!data.payload.audio_only; offerTo(data.from); }
        else if (data.kind === "answer" && peer) peer.setRemoteDescription(data.payload);
        else if (data.kind === "ice" && peer) peer.addIceCandidate(data.payload);
      } else if (data.kind === "ready") requestVideo();
      else if (data.kind === "offer") answer(data.from, data.payload);
      else if (data.kind === "ice" && peer) peer.addIceCandidate(data.payload);
      else if (data.kind === "stop") {
        if (peer) peer.close();
        delete peers[data.from];
        video.hidden = true;
        play.hidden = true;
        status.textContent = "老师停止了直播。";
      }
    }
  };
}

// The class recorded in the teacher's tab and uploaded in pieces when the broadcast stops
// (until Janus records on the server): shared by the browser-to-browser and the Janus video.
// While it goes out, only 停止直播 is offered; once stopped, the two ways to start again.
export function showBroadcastButtons(room, on) {
  var starts = [room.action("video-camera"), room.action("video-screen")];
  var stop = [room.action("video-stop")];
  if (on) showInstead(stop, starts);
  else showInstead(starts, stop);
}

export function tabRecording(room) {
  var recorder = null, recorded = [];
  var CHUNK = 2 * 1024 * 1024;  // the server takes the recording in pieces of this size

  function startRecording(media) {
    var wanted = room.action("video-record");
    if (!wanted || !wanted.checked || !window.MediaRecorder) return;
    recorded = [];
    recorder = new MediaRecorder(media, {mimeType: MediaRecorder.isTypeSupported("video/webm;codecs=vp8,opus") ? "video/webm;codecs=vp8,opus" : "video/webm"});
    recorder.ondataavailable = function (event) { if (event.data.size) recorded.push(event.data); };
    recorder.start(5000);
    room.find("recording-status").textContent = "正在录像。";
  }

  function uploadRecording() {
    var note = room.find("recording-status");
    var blob = new Blob(recorded, {type: "video/webm"});
    var uploadId = Array.from(crypto.getRandomValues(new Uint8Array(16)), function (b) {
      return b.toString(16).padStart(2, "0"); }).join("");
    var base = "/live/" + room.classId + "/recording/" + uploadId + "/";
    var token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
    var chunks = Math.ceil(blob.size / CHUNK);
    function post(url, body, tries) {
      return fetch(url, {method: "POST", body: body, headers: {"X-CSRFToken": token}, credentials: "same-origin"})
        .then(function (response) {
          return response.json().then(function (reply) {
            if (!response.ok) throw new Error(reply.error || "上传失败");
            return reply;
          });
        })
        .catch(function (problem) {
          if (tries > 1) return post(url, body, tries - 1);
          throw problem;
        });
    }
    function send(index) {
      if (index >= chunks) {
        var form = new FormData();
        form.append("chunks", String(chunks));
        return post(base + "finish/", form, 3);
      }
      note.textContent = "正在上传录像：" + Math.round(100 * index / chunks) + "%";
      return post(base + index + "/", blob.slice(index * CHUNK, (index + 1) * CHUNK), 3)
        .then(function () { return send(index + 1); });
    }
    send(0).then(function (reply) {
      note.textContent = reply.message;
    }).catch(function (problem) {
      note.textContent = "录像没能上传：" + problem.message + "。请不要关闭页面，稍后再试。";
    });
  }
  return {
    start: startRecording,
    stop: function () {
      if (recorder && recorder.state !== "inactive") {
        recorder.onstop = uploadRecording;
        recorder.stop();
      }
      recorder = null;
    }
  };
}
