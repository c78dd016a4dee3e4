// The workspace's progressive parts: a live preview of typed dimensions, and
// drag-and-drop image uploads with progress. Every form also works without this.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var zh = document.documentElement.lang.indexOf("zh") === 0;

  // "Go back" returns to the form just sent, with what was typed; without scripts it leads to the dashboard.
  document.querySelectorAll("a[data-back]").forEach(function (a) {
    a.addEventListener("click", function (e) {
      if (history.length > 1) { e.preventDefault(); history.back(); }
    });
  });

  // Dimensions: show what the catalogue reads in the text as it is typed.
  var names = zh
    ? { height: "高", width: "宽", depth: "深", length: "长", thickness: "厚", diameter: "直径", circumference: "周长", weight: "重", duration: "时长", size: "尺寸" }
    : { height: "height", width: "width", depth: "depth", length: "length", thickness: "thickness", diameter: "diameter", circumference: "circumference", weight: "weight", duration: "duration", size: "size" };
  document.querySelectorAll("[data-dimensions-preview]").forEach(function (input) {
    var out = document.getElementById(input.dataset.dimensionsPreview);
    var timer = null;
    function show() {
      var text = input.value.trim();
      if (!text) { out.textContent = ""; return; }
      fetch("/admin/dimensions?text=" + encodeURIComponent(text), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (p) {
          if (!p.ok) { out.textContent = (zh ? "无法识别：" : "Not understood: ") + p.problem; out.className = "preview bad"; return; }
          if (p.not_measured) { out.textContent = zh ? "待测量" : "not measured yet"; out.className = "preview"; return; }
          out.className = "preview ok";
          out.textContent = (zh ? "识别为：" : "Read as: ") + p.items.map(function (d) {
            return (d.part ? d.part + " " : "") + (names[d.kind] || d.kind) + " " + (d.approximate ? "≈" : "") + d.value + " " + d.unit;
          }).join(" · ");
        })
        .catch(function () { out.textContent = ""; });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(show, 250); });
    show();
  });

  // Uploads: drop files (or choose them); each is sent with progress, then the page reloads.
  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    var url = form.dataset.upload;
    var zone = form.querySelector(".dropzone");
    var picker = form.querySelector('input[type="file"]');
    var bar = form.querySelector("progress");
    var results = form.querySelector(".upload-results");
    var role = form.querySelector('select[name="role"]');
    function send(files) {
      var list = Array.prototype.slice.call(files);
      var failed = 0;
      function next() {
        var file = list.shift();
        if (!file) { if (!failed) { location.hash = "images"; location.reload(); } return; }
        var data = new FormData();
        if (role && role.value) data.append("role", role.value);
        data.append("file", file, file.name);
        var xhr = new XMLHttpRequest();
        xhr.open("POST", url);
        xhr.setRequestHeader("X-CSRF-Token", csrf);
        bar.hidden = false; bar.value = 0;
        xhr.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total); };
        xhr.onload = function () {
          var li = document.createElement("li");
          if (xhr.status === 200 || xhr.status === 201) {
            li.textContent = file.name + (zh ? "：已上传" : ": uploaded");
          } else {
            failed++;
            var msg = xhr.statusText;
            try { msg = JSON.parse(xhr.responseText).message; } catch (e) { /* not JSON */ }
            li.className = "bad";
            li.textContent = file.name + ": " + msg;
          }
          results.appendChild(li);
          next();
        };
        xhr.onerror = function () { failed++; var li = document.createElement("li"); li.className = "bad"; li.textContent = file.name + (zh ? "：网络错误" : ": network error"); results.appendChild(li); next(); };
        xhr.send(data);
      }
      next();
    }
    form.addEventListener("submit", function (e) {
      if (picker.files.length) { e.preventDefault(); send(picker.files); }
    });
    ["dragenter", "dragover"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) { if (e.dataTransfer.files.length) send(e.dataTransfer.files); });
  });
})();
