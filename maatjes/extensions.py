"""Flask extensions, created unbound and attached in ``create_app``."""

from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from maatjes.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()
# Per-IP limits (login and other guessable posts). Storage: Redis when MAATJES_REDIS_URL is set,
# shared by every worker and machine; memory otherwise (then each worker counts on its own).
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=False)
