/* Follows a background job (an import, an export) on its page until it has finished.
 *
 * The page holds an element with data-job-status-url (the job's JSON status) and
 * data-job-finished, and inside it the parts to update, each optional:
 * data-job-progress (a <progress>), data-job-label, data-job-message,
 * data-job-done and data-job-total (row counts), data-job-writing,
 * data-job-download (holding the link to the file), data-job-waiting (hidden
 * once finished) and data-job-reload (shown once finished). With
 * data-job-reload-when-finished the page reloads then, for the result the
 * server renders. See templates/accounts/import_job.html and
 * scorecards/templates/scorecards/export_detail.html.
 */
(function () {
  "use strict";

  var panel = document.querySelector("[data-job-status-url]");
  if (!panel || !window.fetch || panel.getAttribute("data-job-finished") === "true") {
    return;
  }
  var url = panel.getAttribute("data-job-status-url");
  var reloadWhenFinished = panel.hasAttribute("data-job-reload-when-finished");
  var delay = 1000;
  var numbers = window.Intl ? new Intl.NumberFormat(document.documentElement.lang) : null;

  function part(name) {
    return panel.querySelector("[data-job-" + name + "]");
  }

  function number(value) {
    return numbers ? numbers.format(value) : String(value);
  }

  function setText(name, text) {
    var element = part(name);
    if (element) {
      element.textContent = text;
    }
  }

  function show(job) {
    var bar = part("progress");
    if (bar) {
      bar.value = job.progress;
      bar.textContent = job.progress + "%";
    }
    setText("label", job.status_label);
    if ("processed_rows" in job) {
      setText("done", number(job.processed_rows));
      setText("total", number(job.total_rows));
    }
    var writing = part("writing");
    if (writing) {
      writing.hidden = !job.writing;
    }
    var message = part("message");
    if (message) {
      message.textContent = job.message || "";
      message.hidden = !job.message;
    }
    var download = part("download");
    if (download && job.download_url) {
      download.querySelector("a").href = job.download_url;
      download.hidden = false;
    }
    if (job.finished) {
      var waiting = part("waiting");
      var reload = part("reload");
      if (waiting) {
        waiting.hidden = true;
      }
      if (reload) {
        reload.hidden = false;
      }
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
        if (job.finished && reloadWhenFinished) {
          window.location.reload();
        } else if (!job.finished) {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        // A dropped connection or a restart: try again, less often.
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
