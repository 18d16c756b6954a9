/* Follows an export job on its page until the file is ready or the build failed.
 *
 * The page holds an element with data-export-status-url (the job's JSON status)
 * and, inside it, the progress bar, the status label, the failure message and
 * the download link to update; see scorecards/templates/scorecards/export_detail.html.
 */
(function () {
  "use strict";

  var panel = document.querySelector("[data-export-status-url]");
  if (!panel || !window.fetch) {
    return;
  }
  var url = panel.getAttribute("data-export-status-url");
  var bar = panel.querySelector("[data-export-progress]");
  var label = panel.querySelector("[data-export-label]");
  var message = panel.querySelector("[data-export-message]");
  var download = panel.querySelector("[data-export-download]");
  var waiting = panel.querySelector("[data-export-waiting]");
  var delay = 1000;

  function show(job) {
    bar.value = job.progress;
    bar.textContent = job.progress + "%";
    label.textContent = job.status_label;
    if (job.message) {
      message.textContent = job.message;
      message.hidden = false;
    }
    if (job.download_url) {
      download.querySelector("a").href = job.download_url;
      download.hidden = false;
    }
    if (job.finished && waiting) {
      waiting.hidden = true;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (job) {
        show(job);
        if (!job.finished) {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        // A dropped connection or a restart: try again, less often.
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  if (panel.getAttribute("data-export-finished") !== "true") {
    poll();
  }
})();
