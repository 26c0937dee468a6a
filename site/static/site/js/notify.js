// /ws/notify/: shows a logged-in user's new notifications as banners without a reload.
// Reconnects by itself with jittered backoff; a closed socket never bothers the user.
(function () {
  "use strict";

  var region = document.getElementById("notification-region");
  var template = document.getElementById("notification-template");
  if (!region || !template || !window.WebSocket) return;

  var CLOSE_NOT_LOGGED_IN = 4401;
  var attempt = 0;

  function showBanner(data) {
    var banner = template.content.firstElementChild.cloneNode(true);
    banner.querySelector('[data-field="text"]').textContent = data.text;
    var link = banner.querySelector('[data-field="url"]');
    link.setAttribute("aria-label", link.textContent.trim() + "：" + data.text);
    var dismiss = banner.querySelector('[data-field="dismiss-button"]');
    dismiss.setAttribute("aria-label", dismiss.textContent.trim() + "：" + data.text);
    if (data.url) {
      link.setAttribute("href", data.url);
      link.hidden = false;
    } else {
      link.hidden = true;
    }
    banner.querySelector('[data-field="dismiss"]').setAttribute(
      "action", "/accounts/notifications/" + encodeURIComponent(data.id) + "/dismiss/"
    );
    region.appendChild(banner);
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/notify/");
    socket.addEventListener("open", function () {
      attempt = 0;
      document.body.setAttribute("data-notify", "open");
    });
    socket.addEventListener("message", function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type === "notify.message" && message.data) showBanner(message.data);
    });
    socket.addEventListener("close", function (event) {
      document.body.setAttribute("data-notify", "closed");
      if (event.code === CLOSE_NOT_LOGGED_IN) return;
      attempt += 1;
      var ceiling = Math.min(30000, 1000 * Math.pow(2, attempt));
      window.setTimeout(connect, ceiling / 2 + Math.random() * ceiling / 2);
    });
  }

  connect();
})();
