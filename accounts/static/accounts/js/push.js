// 手机提醒 on 我的: one big button subscribes this browser to Web Push (VAPID key from the page).
(function () {
  var box = document.querySelector("[data-push-box]");
  if (!box) return;
  var button = box.querySelector("[data-push=on]");
  var status = box.querySelector("[data-push=status]");
  var unsupported = box.querySelector("[data-push=unsupported]");
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    button.hidden = true;
    unsupported.hidden = false;
    return;
  }
  function keyBytes(text) {
    var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }
  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function save(subscription) {
    return fetch(box.dataset.subscribeUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(subscription.toJSON())
    }).then(function (response) {
      return response.json().then(function (reply) {
        if (!response.ok) throw new Error(reply.error);
        return reply.message;
      });
    });
  }
  var registration = navigator.serviceWorker.register(box.dataset.workerUrl, { scope: "/" });
  registration.then(function (ready) { return ready.pushManager.getSubscription(); })
    .then(function (existing) {
      if (existing && Notification.permission === "granted") {
        status.textContent = "这台设备已经打开了手机提醒。";
        button.textContent = "再试一次手机提醒";
      }
    });
  button.addEventListener("click", function () {
    status.textContent = "请在弹出的窗口里按“允许”。";
    Notification.requestPermission().then(function (answer) {
      if (answer !== "granted") throw new Error("没有允许通知。请家里人帮忙在浏览器设置里允许本站通知");
      return registration;
    }).then(function (ready) {
      return ready.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(box.dataset.pushKey)
      });
    }).then(save).then(function (message) {
      status.textContent = message;
    }).catch(function (problem) {
      status.textContent = "手机提醒没有打开：" + problem.message + "。";
    });
  });
})();
