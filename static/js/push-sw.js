/*
 * The portal's service worker: shows a Web Push notice and opens the portal when it is
 * tapped. The notice holds no content of a melding, only that there is something to look
 * at; the tag (one per notification) makes a notice that arrives twice replace itself.
 */
"use strict";

self.addEventListener("push", function (event) {
  var data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  event.waitUntil(
    self.registration.showNotification(data.title || "Weerbaar Bestuur", {
      body: data.body || "Er is een bericht voor u — open het portaal",
      tag: data.tag || "weerbaar",
      icon: "/static/img/logo.svg",
      data: { url: data.url || "/" },
    })
  );
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) {
    target = new URL("/", self.location.origin);
  }
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      // The link may lead to a section of a page (#berichten): a window already showing
      // that page is brought forward and taken to the section.
      var page = target.href.split("#")[0];
      for (var i = 0; i < windows.length; i++) {
        var open = windows[i];
        if (open.url.split("#")[0] === page && "focus" in open) {
          return open.focus().then(function (focused) {
            if (focused && focused.url !== target.href && "navigate" in focused) {
              return focused.navigate(target.href).catch(function () { return focused; });
            }
            return focused;
          });
        }
      }
      return self.clients.openWindow(target.href);
    })
  );
});
