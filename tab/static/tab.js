// Steward's tab in Teams: sign in with Teams SSO, follow Teams' theme, save a channel tab's contract.
// Outside Teams (a plain browser, the local demo) it does nothing, and does not even load the Teams
// library (which fetches Teams' list of its own origins): the pages work without it.
(function () {
  "use strict";
  var body = document.body;
  var framed = window.parent !== window;
  var teams = null;
  var THEMES = { "default": "default", "dark": "dark", "contrast": "contrast" };

  function say(id, text) {
    var place = document.getElementById(id);
    if (place) { place.textContent = text; }
  }

  function followTheme(theme) {
    var wanted = THEMES[theme] || "default";
    if (document.documentElement.getAttribute("data-theme") === wanted) { return; }
    var url = new URL(window.location.href);
    url.searchParams.set("theme", wanted);
    window.location.replace(url.toString());
  }

  function signIn() {
    teams.authentication.getAuthToken().then(function (token) {
      return fetch("/tab/session", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Authorization": "Bearer " + token }
      });
    }).then(function (response) {
      if (response.ok) { window.location.reload(); return; }
      if (response.status === 403) { say("signin-status", "You are not in Steward's portfolio. Ask your contract manager to add you."); return; }
      say("signin-status", "Teams could not sign you in to Steward. Close the tab and open it again.");
    }).catch(function () {
      say("signin-status", "Teams could not sign you in to Steward. Close the tab and open it again.");
    });
  }

  function configure() {
    var choice = document.getElementById("contract-choice");
    if (!choice) { return; }
    teams.pages.config.setValidityState(false);
    choice.addEventListener("change", function () {
      teams.pages.config.setValidityState(choice.value !== "");
    });
    teams.pages.config.registerOnSaveHandler(function (saving) {
      var option = choice.options[choice.selectedIndex];
      var url = window.location.origin + "/tab/contracts/" + encodeURIComponent(choice.value);
      teams.pages.config.setConfig({
        entityId: "contract-" + choice.value,
        contentUrl: url,
        websiteUrl: url,
        suggestedDisplayName: option.getAttribute("data-name") || choice.value
      }).then(function () { saving.notifySuccess(); }, function () { saving.notifyFailure("Could not save"); });
    });
  }

  if (!framed || body.getAttribute("data-demo") === "yes") {
    var outside = document.getElementById("signin-outside");
    if (outside && body.getAttribute("data-page") === "signin") { outside.hidden = false; }
    return;
  }
  var library = document.createElement("script");
  library.src = "/tab/static/vendor/MicrosoftTeams.min.js";
  library.onload = function () { teams = window.microsoftTeams; start(); };
  library.onerror = function () { say("signin-status", "Steward could not load the Teams library."); };
  document.head.appendChild(library);

  function start() {
  teams.app.initialize().then(function () {
    teams.app.notifySuccess();
    teams.app.registerOnThemeChangeHandler(followTheme);
    return teams.app.getContext();
  }).then(function (context) {
    followTheme(context.app.theme);
    var page = body.getAttribute("data-page");
    if (page === "signin") { signIn(); }
    if (page === "configure") { configure(); }
  }).catch(function () {
    say("signin-status", "This page works inside Microsoft Teams: open the Steward app there.");
  });
  }
})();
