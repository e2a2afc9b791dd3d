// Filing form: show only the recipients that apply to the route chosen now. Without
// JavaScript both lists stay visible, each with its own explanation.
(function () {
  "use strict";
  var box = document.getElementById("id_confidential");
  var regular = document.querySelector("[data-route=regular]");
  var confidential = document.querySelector("[data-route=confidential]");
  if (!box || !regular || !confidential) {
    return;
  }
  function update() {
    regular.hidden = box.checked;
    confidential.hidden = false;
  }
  box.addEventListener("change", update);
  update();
})();
