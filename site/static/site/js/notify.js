// /ws/notify/: shows a logged-in user's new notifications in the reminder line without a reload.
// Reconnects by itself with jittered backoff; a closed socket never bothers the user.
import { field, fromTemplate } from "./dom.js";

var CLOSE_NOT_LOGGED_IN = 4401;
var region = document.getElementById("notification-region");
var attempt = 0;

// One line for every reminder: the region's count goes up, and the line is drawn again.
function showBanner(data) {
  var count = Number(region.getAttribute("data-count") || "0") + 1;
  region.setAttribute("data-count", String(count));
  var line = fromTemplate("notification-template");
  var words = "您有 " + count + " 条新提醒";
  field(line, "text").textContent = words;
  field(line, "about").textContent = "：" + (count === 1 ? data.text : words);
  if (count === 1 && data.url) field(line, "url").setAttribute("href", data.url);
  region.replaceChildren(line);
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

if (region && document.getElementById("notification-template")) connect();
