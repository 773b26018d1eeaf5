from flask import Blueprint

bp = Blueprint("theme_groups", __name__, url_prefix="/registry/theme-groups")
