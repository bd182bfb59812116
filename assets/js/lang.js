// Streamlit's page shell says <html lang="en"> whatever the page's language. The app adds this
// script (an external file, so the pages' Content-Security-Policy allows it) with the view's
// language in data-lang; it runs again whenever the visitor switches language.
(function () {
  var tags = document.querySelectorAll("script[data-nexi-lang]");
  var lang = tags.length ? tags[tags.length - 1].getAttribute("data-nexi-lang") : null;
  if (lang === "ja" || lang === "en") {
    document.documentElement.lang = lang;
  }
})();
