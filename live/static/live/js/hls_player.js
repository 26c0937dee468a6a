// Big classes: the stream from a streaming service (the instructor pushes with OBS), played
// natively where the browser can (Safari, iOS) and with hls.js (served from this site, a
// classic script that runs before this module and leaves window.Hls) elsewhere.
function play(video) {
  var status = document.querySelector("[data-room=hls-status]");
  var source = video.dataset.src;
  if (video.canPlayType("application/vnd.apple.mpegurl")) {
    video.src = source;
  } else if (window.Hls && window.Hls.isSupported()) {
    var hls = new window.Hls();
    hls.loadSource(source);
    hls.attachMedia(video);
    hls.on(window.Hls.Events.ERROR, function (event, data) {
      if (data.fatal) status.textContent = "直播暂时放不出来，可能老师还没开始推流。请稍等一会儿再按播放。";
    });
  } else {
    status.textContent = "这个浏览器放不了直播，请换用手机或平板自带的浏览器。";
  }
}

var video = document.querySelector("[data-room=hls]");
if (video) play(video);
