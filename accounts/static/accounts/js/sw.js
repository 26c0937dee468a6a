// 手机提醒: shows a pushed notification, and opens its page (the class, the notice) on a tap.
self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = { body: event.data.text() }; }
  event.waitUntil(self.registration.showNotification(data.title || "军休老年大学", {
    body: data.body || "",
    data: { url: data.url || "/" },
    // A push delivered twice (push services retry) replaces its own notification.
    tag: data.tag || "",
    lang: "zh-CN",
    requireInteraction: true
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (url.origin !== self.location.origin) url = new URL("/", self.location.origin);
  event.waitUntil(self.clients.openWindow(url.href));
});
