"""The web console: the face of matrixpub for the people who write, read and decide.

Server-rendered pages (FastAPI + Jinja2, templates in ``templates/console/``) with a
little htmx for the live parts, and a JSON API under ``/api/v1`` for an organisation's
own systems. Routes are thin: they parse the request, call the same functions as the CLI
(:mod:`console.actions`, :mod:`console.people`, :mod:`console.reading`) and render the
result; no rule lives in a route or a template.

    app.py       the application: routers, static files, error pages
    security.py  sessions (cookie), CSRF tokens, who is asking
    pages.py     the Jinja2 environment and its filters
    auth.py      log in, log out, change one's password
    home.py      我的待办 (my work) and the live count (server-sent events)
    drafts.py    write: the editor, saving the working copy, submitting
    review.py    read and decide: the draft page, previews, diff, record, 审签单
    posts.py     posts: manual packages, live URLs, unknown and failed posts
    api.py       /api/v1, personal tokens as Bearer tokens
    flows.py     starting flows without making anyone wait
    server.py    running it (uvicorn)
"""

from console.web.app import create_app

__all__ = ["create_app"]
