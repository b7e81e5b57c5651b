/* 专利与创新链 (/patents): choosing an industry or a city searches at once (a new industry
 * clears the segment), and a link to #patent-<id> opens that patent's evidence. */
(function () {
  "use strict";

  var form = document.getElementById("patent-search");
  if (form) {
    var segment = document.getElementById("patent-segment");
    var industry = document.getElementById("patent-industry");
    if (industry) {
      industry.addEventListener("change", function () {
        if (segment) { segment.value = ""; }
        form.submit();
      });
    }
    ["patent-segment", "patent-place"].forEach(function (id) {
      var field = document.getElementById(id);
      if (field) { field.addEventListener("change", function () { form.submit(); }); }
    });
  }

  function openTarget() {
    var match = /^#patent-(\d+)$/.exec(window.location.hash);
    if (!match) { return; }
    var item = document.getElementById("patent-" + match[1]);
    var details = item && item.querySelector("details");
    if (details) {
      details.open = true;
      item.scrollIntoView({ block: "start" });
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
