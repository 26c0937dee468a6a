// The class's video through Janus (VideoRoom): the teacher's page publishes its camera or
// screen once; each participant's page subscribes from Janus. The page was given a token and
// the room's pin for this person and this class (live/janus.py); the room socket carries no
// media and no video signalling in this mode.
// Nothing plays with sound until the retiree presses 播放 (no autoplay with sound).
import { JanusRoom } from "./janus_client.js";
import { showBroadcastButtons, tabRecording } from "./video.js";

export function janusVideo(room, access) {
  var iceServers = JSON.parse(document.getElementById("live-ice-servers").textContent);
  var video = room.find("video");
  var status = room.find("video-status");
  var janus = null;           // the open Janus session
  var opening = null;         // its promise while it opens
  var stream = null;          // teacher: the outgoing stream
  var publisher = null;       // participant: the teacher's feed as Janus listed it
  var subscription = null;    // participant: what we receive
  var recording = tabRecording(room);
  var pressed = false;        // participant: 播放 was pressed (sound may play from then on)

  function open() {
    if (!opening) {
      opening = new JanusRoom({url: access.url, room: access.room, pin: access.pin,
                               token: access.token, display: access.display,
                               iceServers: iceServers}).open()
        .then(function (opened) { janus = opened; return opened; })
        .catch(function (problem) {
          opening = null;
          status.textContent = "暂时连不上视频服务器，聊天、课件、举手和投票照常可用。请稍后刷新页面再试。";
          throw problem;
        });
    }
    return opening;
  }

  // --- Teacher -----------------------------------------------------------------------
  function showBroadcasting(on) { showBroadcastButtons(room, on); }

  function startBroadcast(getStream) {
    getStream().then(function (media) {
      stream = media;
      video.srcObject = media;
      video.hidden = false;
      video.play();
      status.textContent = "正在连接视频服务器…";
      showBroadcasting(true);
      return open().then(function (opened) {
        return opened.publish(media, {display: access.display});
      }).then(function () {
        status.textContent = "正在直播。大家看到的就是这个画面。";
        recording.start(media);
      });
    }).catch(function () {
      if (!stream) {
        status.textContent = "没能打开摄像头或麦克风。请在浏览器地址栏旁边允许使用摄像头，再按一次。";
      }
    });
  }

  function stopBroadcast() {
    recording.stop();
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    if (janus && janus.publisher) {
      janus.publisher.pc.close();
      janus.detach(janus.publisher.handleId);
      janus.publisher = null;
    }
    video.hidden = true;
    showBroadcasting(false);
    status.textContent = "直播已停止。";
  }

  // --- Participant ---------------------------------------------------------------------
  var play = room.action("video-play");
  var audioOnlyBox = room.action("audio-only");

  function subscribe() {
    if (!publisher || !janus) return;
    var previous = subscription;
    subscription = null;
    if (previous) { previous.pc.close(); janus.detach(previous.handleId); }
    janus.subscribe(publisher, {audioOnly: !!(audioOnlyBox && audioOnlyBox.checked)})
      .then(function (received) {
        subscription = received;
        video.srcObject = received.stream;
        if (!pressed) {
          play.hidden = false;
          status.textContent = "老师的直播来了，请按“播放”。";
        } else {
          video.play();
        }
      })
      .catch(function () {
        status.textContent = "没能收到老师的直播，请稍后刷新页面再试。";
      });
  }

  function listen() {
    open().then(function (opened) {
      opened.onpublishers = function (list) {
        if (!list.length) return;
        publisher = list[0];
        subscribe();
      };
      opened.onunpublished = function () {
        publisher = null;
        if (subscription) { subscription.pc.close(); opened.detach(subscription.handleId); }
        subscription = null;
        video.hidden = true;
        play.hidden = true;
        pressed = false;
        status.textContent = "老师停止了直播。";
      };
      return opened.listen();
    }).catch(function () {});
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
      pressed = true;
      video.hidden = audioOnlyBox.checked;
      video.muted = false;
      video.play();
      play.hidden = true;
      status.textContent = audioOnlyBox.checked ? "正在播放老师的声音。" : "正在播放老师的直播。";
    };
    // 只听声音: subscribe again to the audio alone (or to everything again).
    audioOnlyBox.onchange = function () {
      video.hidden = this.checked || !play.hidden;
      subscribe();
    };
  }

  var started = false;
  return {
    joined: function () {
      if (started || room.isTeacher) return;
      started = true;
      listen();
    },
    // Video signalling goes to Janus, not through the room socket.
    signal: function () {}
  };
}
