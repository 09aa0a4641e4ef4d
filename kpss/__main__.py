from kpss.cli import app

app(prog_name="kpss")
