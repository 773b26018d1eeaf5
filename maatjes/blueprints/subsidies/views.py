from flask import Blueprint

bp = Blueprint("subsidies", __name__, url_prefix="/registry/subsidies")
