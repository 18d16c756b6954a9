/* Follows an import on its page until it has succeeded or failed, then offers the result.
 *
 * The page holds an element with data-import-status-url (the job's JSON status) and,
 * inside it, the progress bar and the texts to update; see
 * templates/accounts/import_job.html.
 */
(function () {
  "use strict";

  var panel = document.querySelector("[data-import-status-url]");
  if (!panel || !window.fetch || panel.getAttribute("data-import-finished") === "true") {
    return;
  }
  var url = panel.getAttribute("data-import-status-url");
  var bar = panel.querySelector("[data-import-progress]");
  var label = panel.querySelector("[data-import-label]");
  var done = panel.querySelector("[data-import-done]");
  var total = panel.querySelector("[data-import-total]");
  var writing = panel.querySelector("[data-import-writing]");
  var message = panel.querySelector("[data-import-message]");
  var waiting = panel.querySelector("[data-import-waiting]");
  var reload = panel.querySelector("[data-import-reload]");
  var delay = 1000;
  var numbers = window.Intl ? new Intl.NumberFormat(document.documentElement.lang) : null;

  function number(value) {
    return numbers ? numbers.format(value) : String(value);
  }

  function show(job) {
    bar.value = job.progress;
    bar.textContent = job.progress + "%";
    label.textContent = job.status_label;
    done.textContent = number(job.processed_rows);
    total.textContent = number(job.total_rows);
    writing.hidden = !job.writing;
    message.textContent = job.message;
    if (job.finished) {
      if (waiting) {
        waiting.hidden = true;
      }
      reload.hidden = false;
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
        if (job.finished) {
          // The result (counts, changes, problems) is rendered by the server.
          window.location.reload();
        } else {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
