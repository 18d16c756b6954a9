/* The pipeline pages' small helpers; the pages work without them.
 *
 * - A "select all" checkbox ([data-select-all]) ticks every row of its form.
 * - A stage select ([data-stage-select]) shows only the fields its chosen stage
 *   needs: elements marked data-needs="won" or "lost" (or "closed" for both).
 */
(function () {
  "use strict";

  function rowBoxes(form) {
    return form.querySelectorAll('input[type="checkbox"][name="selected"]');
  }

  document.querySelectorAll("[data-select-all]").forEach(function (all) {
    var form = all.form;
    if (!form) {
      return;
    }
    all.hidden = false;
    all.addEventListener("change", function () {
      rowBoxes(form).forEach(function (box) {
        box.checked = all.checked;
      });
    });
    form.addEventListener("change", function (event) {
      if (event.target.name !== "selected") {
        return;
      }
      var boxes = Array.prototype.slice.call(rowBoxes(form));
      all.checked = boxes.length > 0 && boxes.every(function (box) {
        return box.checked;
      });
    });
  });

  function outcomeOf(select) {
    var option = select.options[select.selectedIndex];
    return option ? option.getAttribute("data-outcome") || "" : "";
  }

  function showNeeded(select) {
    var form = select.form;
    var outcome = outcomeOf(select);
    form.querySelectorAll("[data-needs]").forEach(function (element) {
      var needs = element.getAttribute("data-needs").split(" ");
      var closed = outcome === "won" || outcome === "lost";
      element.hidden = !(needs.indexOf(outcome) >= 0 || (closed && needs.indexOf("closed") >= 0));
    });
  }

  document.querySelectorAll("[data-stage-select]").forEach(function (select) {
    select.addEventListener("change", function () {
      showNeeded(select);
    });
    showNeeded(select);
  });
})();
