/*
 * The "receive push notices on this device" button of the Pushberichten page: registers the
 * service worker for the whole portal, subscribes with the portal's VAPID public key and
 * sends the subscription (endpoint and keys) to the portal. Without the Push API the page
 * keeps saying that this browser cannot.
 */
(function () {
  "use strict";

  function keyBytes(base64url) {
    var base64 = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
  }

  // An error whose text the user may read (Dutch, from this page or the portal); what the
  // browser throws is technical English, shown as the page's own "did not work".
  function userError(text) {
    var error = new Error(text);
    error.forUser = true;
    return error;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-push-form]");
    if (!form || !("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
      return;
    }
    var status = document.querySelector("[data-push-status]");
    var unsupported = document.querySelector("[data-push-unsupported]");
    var button = form.querySelector("button");
    if (unsupported) {
      unsupported.hidden = true;
    }
    form.hidden = false;

    function say(text) {
      status.textContent = text;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      button.disabled = true;
      say(form.dataset.msgBusy);
      Notification.requestPermission()
        .then(function (permission) {
          if (permission !== "granted") {
            throw userError(form.dataset.msgDenied);
          }
          return navigator.serviceWorker.register(form.dataset.worker, { scope: "/" });
        })
        .then(function () {
          return navigator.serviceWorker.ready;
        })
        .then(function (registration) {
          return registration.pushManager.getSubscription().then(function (existing) {
            return existing || registration.pushManager.subscribe({
              userVisibleOnly: true,
              applicationServerKey: keyBytes(form.dataset.vapidKey),
            });
          });
        })
        .then(function (subscription) {
          return fetch(form.action, {
            method: "POST",
            credentials: "same-origin",
            headers: {
              "Content-Type": "application/json",
              "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value,
            },
            body: JSON.stringify(subscription.toJSON()),
          });
        })
        .then(function (response) {
          if (response.ok) {
            window.location.reload();
            return null;
          }
          return response.json().then(function (body) {
            throw userError(body.error || form.dataset.msgFailed);
          });
        })
        .catch(function (error) {
          say(error && error.forUser ? error.message : form.dataset.msgFailed);
          button.disabled = false;
        });
    });
  });
})();
