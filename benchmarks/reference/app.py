"""The reference page of benchmarks/throughput.py: a bare Flask app that renders one template
with one indexed query, on the same database and under the same gunicorn settings."""

import os

from flask import Flask, render_template_string
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ["MAATJES_DATABASE_URL"])

PAGE = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{{ name }}</title>
</head><body><main><h1>{{ name }}</h1><p>{{ phone }}</p></main></body></html>"""


@app.route("/reference")
def reference():
    with engine.connect() as connection:
        name, phone = connection.execute(
            text("SELECT name, phone FROM volunteers WHERE id = :id"), {"id": 1}
        ).one()
    return render_template_string(PAGE, name=name, phone=phone)
