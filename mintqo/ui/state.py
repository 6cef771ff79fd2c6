"""Session-state keys and URL parameter names, in one place."""

ANALYSIS_ID = "mintqo.analysis_id"
TOKEN = "mintqo.token"
FLASH = "mintqo.flash"
GOTO_WALKTHROUGH = "mintqo.goto_walkthrough"
NEW_CODE = "start.new_code"
ATTEMPTS = "start.attempts"
STEP = "assess.step"
SAVE_ERROR = "assess.save_error"

URL_TOKEN = "sitzung"
URL_CODE = "code"
URL_STEP = "schritt"

GROUP_ID = "mintqo.group_id"
GROUP_TOKEN = "mintqo.group_token"
NEW_GROUP = "moderation.new_group"
SCOPE = "results.scope"
RATER_ID = "mintqo.rater_id"
RUN_VIEW = "mintqo.run_view"  # (analysis, group) as app.py found them at the start of this run
NOTICE = "mintqo.notice"  # a success message for the next page (e.g. after a deletion)
URL_PRESENTER = "praesentation"  # the presentation's own short-lived token: never the facilitator's
PRESENTER_TOKEN = "mintqo.presenter_token"
PRESENTER_GROUP = "mintqo.presenter_group"  # set when this tab holds only a presenter token
NEW_ACCOUNT_CODE = "account.new_code"  # a replaced project or facilitator code, shown once
