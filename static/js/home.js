/* A rep's home: once the page has been shown, its changes count as seen, so that
 * the next visit lists what changed after this one. Without JavaScript the
 * "Mark as seen" button does the same. */
(function () {
  "use strict";

  var form = document.querySelector("[data-mark-seen]");
  if (!form || !navigator.sendBeacon) {
    return;
  }
  var data = new FormData(form);
  data.append("beacon", "1");
  navigator.sendBeacon(form.action, data);
})();
