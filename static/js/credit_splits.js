/* The live sum of a deal's credit splits: the server checks it again on save. */
(function () {
  "use strict";

  function cents(value) {
    var number = Number(String(value).replace(",", "."));
    return isFinite(number) ? Math.round(number * 100) : 0;
  }

  function update(section) {
    var inputs = section.querySelectorAll('input[name$="-percent"]');
    var total = 0;
    var filled = 0;
    inputs.forEach(function (input) {
      if (input.value.trim() !== "") {
        total += cents(input.value);
        filled += 1;
      }
    });
    var output = section.querySelector("[data-credit-sum]");
    if (!output) {
      return;
    }
    output.textContent = (total / 100).toFixed(2).replace(/\.00$/, "");
    var valid = filled === 0 || total === 10000;
    output.classList.toggle("credit-form__sum--off", !valid);
    output.classList.toggle("credit-form__sum--ok", valid);
  }

  document.querySelectorAll("[data-credit-form]").forEach(function (form) {
    var section = form.querySelector('[data-credit-kind="split"]');
    if (!section) {
      return;
    }
    section.addEventListener("input", function () {
      update(section);
    });
    update(section);
  });
})();
