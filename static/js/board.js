/* The pipeline board's drag and drop; without it, each card's button moves it on.
 *
 * Dropping a card ([data-card]) on another column ([data-stage]) posts the card's
 * own move form with that column's stage, so the server checks and records the
 * move exactly as for the button (the version it was shown at, who, when).
 */
(function () {
  "use strict";

  var dragged = null;

  function columnOf(element) {
    return element.closest("[data-stage]");
  }

  document.querySelectorAll("[data-card]").forEach(function (card) {
    card.addEventListener("dragstart", function (event) {
      dragged = card;
      card.classList.add("board-card--dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.querySelector("a").href);
    });
    card.addEventListener("dragend", function () {
      card.classList.remove("board-card--dragging");
      dragged = null;
    });
  });

  document.querySelectorAll("[data-stage]").forEach(function (column) {
    column.addEventListener("dragover", function (event) {
      if (dragged && columnOf(dragged) !== column) {
        event.preventDefault();
        column.classList.add("board__column--target");
      }
    });
    column.addEventListener("dragleave", function () {
      column.classList.remove("board__column--target");
    });
    column.addEventListener("drop", function (event) {
      column.classList.remove("board__column--target");
      var form = dragged && dragged.querySelector("form");
      if (!form || columnOf(dragged) === column) {
        return;
      }
      event.preventDefault();
      form.querySelector('input[name="stage"]').value = column.getAttribute("data-stage");
      form.submit();
    });
  });
})();
