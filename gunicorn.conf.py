# Read by gunicorn when it is started from this directory (see README, "Deploying").
import os

# The access log goes to stdout with every draft's secret token replaced by <redacted>.
accesslog = "-"
logger_class = "generator.logs.RedactingGunicornLogger"
timeout = 30

# X-Forwarded-Proto (and gunicorn's other scheme headers) are believed only when the deployment
# says a TLS proxy is in front, and then only from the proxy's addresses (HOSTPOLICY_PROXY_IPS,
# default 127.0.0.1). Otherwise any client could claim https and skip the redirect.
if os.environ.get("HOSTPOLICY_BEHIND_PROXY", "").lower() in ("1", "true", "yes", "on"):
    forwarded_allow_ips = os.environ.get("HOSTPOLICY_PROXY_IPS", "127.0.0.1")
else:
    secure_scheme_headers = {}
    forwarded_allow_ips = ""


def post_worker_init(worker):
    # Everything loaded at start (Django, the catalogues, the templates) moves to the collector's
    # permanent generation, so full collections no longer walk it on every busy request.
    import gc

    gc.freeze()
