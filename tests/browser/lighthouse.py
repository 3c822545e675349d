"""`make lighthouse`: Lighthouse scores of the home page, a list page, a film page and the
browse page (with three filters, so its facets and chips are scored too), in English and in
Russian (`/ru/`).

Serves the site as in production (DEBUG off, whitenoise, compressed static files) from a
throwaway SQLite database holding the seed catalogue, with pictures: media live in an S3
bucket on a local moto server (the KINOTEKA_MEDIA_* settings production uses for a shared
bucket), and `demo_pictures` gives films and lists uploaded posters and covers. Runs the npm
`lighthouse` CLI with Debian's Chromium (CHROME_PATH), prints the four category scores of each
page and writes the HTML and JSON reports to LIGHTHOUSE_REPORTS. Not a test: pytest does not
collect this file.
"""

import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import boto3
from moto.server import ThreadedMotoServer

logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every request

ROOT = Path(__file__).resolve().parents[2]
REPORTS = Path(os.environ.get("LIGHTHOUSE_REPORTS", "/tmp/kinoteka-lighthouse/reports"))
SCREENSHOTS = ROOT / "docs" / "img"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run"
MEDIA_BUCKET = "kinoteka-media"
RUNS = int(os.environ.get("LIGHTHOUSE_RUNS", "3"))
PAGE_URLS = """
from lists.models import CuratedList
curated_list = CuratedList.objects.published().order_by("pk").first()
film = curated_list.entries.order_by("position").first().film
print(curated_list.get_absolute_url(), film.get_absolute_url())
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs
    )


def wait_until_up(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The site did not answer at {url}")


def lighthouse(lighthouse_bin, url, name):
    """The median of each score over RUNS runs of `url`: the performance score moves by
    several points from run to run on a shared machine, and Lighthouse's own advice for
    that is the median of several runs. The reports kept are the last run's."""
    runs = [lighthouse_once(lighthouse_bin, url, name) for _ in range(RUNS)]
    return {key: statistics.median_low(run[key] for run in runs) for key in CATEGORIES}


def lighthouse_once(lighthouse_bin, url, name, attempts=3):
    """The four scores of one run. Lighthouse sometimes loses its trace on a busy machine
    (NO_NAVSTART): such a run is repeated."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, attempts + 1):
        try:
            return run_lighthouse(lighthouse_bin, url, name)
        except subprocess.CalledProcessError:
            if attempt == attempts:
                raise
            print(f"Lighthouse failed on {url}; trying again.", file=sys.stderr)


def run_lighthouse(lighthouse_bin, url, name):
    subprocess.run(
        [
            lighthouse_bin,
            url,
            "--quiet",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            "--output=html",
            f"--output-path={REPORTS / name}",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
    )
    report = json.loads((REPORTS / f"{name}.report.json").read_text())
    return {key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES}


def screenshot_scores(names):
    """docs/img/lighthouse-<page>.png: the top of each HTML report, where the scores are."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1000, "height": 560})
        for name in names:
            page.goto((REPORTS / f"{name}.report.html").as_uri())
            page.wait_for_selector(".lh-scores-header")
            page.screenshot(path=str(SCREENSHOTS / f"lighthouse-{name}.png"))
        browser.close()


def media_bucket():
    """A moto S3 server on a free port with an empty bucket, and the settings that point the
    site at it as production points at its bucket."""
    endpoint = f"http://127.0.0.1:{free_port()}"
    port = int(endpoint.rsplit(":", 1)[1])
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="lighthouse",
        aws_secret_access_key="lighthouse",
    )
    client.create_bucket(Bucket=MEDIA_BUCKET)
    # Pages link the files directly (unsigned URLs): anyone may read them, as in production.
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{MEDIA_BUCKET}/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=MEDIA_BUCKET, Policy=json.dumps(public_read))
    settings = {
        "KINOTEKA_MEDIA_BUCKET": MEDIA_BUCKET,
        "KINOTEKA_MEDIA_URL": f"{endpoint}/{MEDIA_BUCKET}/",
        "KINOTEKA_MEDIA_ENDPOINT": endpoint,
        "KINOTEKA_MEDIA_REGION": "us-east-1",
        "KINOTEKA_MEDIA_ACCESS_KEY": "lighthouse",
        "KINOTEKA_MEDIA_SECRET_KEY": "lighthouse",
    }
    return server, settings


def main():
    lighthouse_bin = sys.argv[1] if len(sys.argv) > 1 else "lighthouse"
    port = free_port()
    media_server, media_settings = media_bucket()
    with tempfile.TemporaryDirectory() as workdir:
        env = {
            **media_settings,
            **os.environ,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "lighthouse-only-not-a-secret-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": f"sqlite:///{workdir}/lighthouse.sqlite3",
        }
        manage(env, "migrate", "--no-input", stdout=subprocess.DEVNULL)
        manage(env, "seed", stdout=subprocess.DEVNULL)
        manage(env, "demo_pictures", "--films=30", stdout=subprocess.DEVNULL)
        manage(env, "collectstatic", "--no-input", stdout=subprocess.DEVNULL)
        shell = manage(env, "shell", "-c", PAGE_URLS, capture_output=True, text=True)
        # The last line: `shell` may first report the objects it imported.
        list_path, film_path = shell.stdout.strip().splitlines()[-1].split()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base + "/")
            english = {
                "home": "/",
                "list": list_path,
                "film": film_path,
                "browse": "/films/?country=su&decade=1970&setting=moscow&ordering=-year",
            }
            pages = {
                **english,
                **{f"{name}-ru": "/ru" + path for name, path in english.items()},
            }
            scores = {
                name: lighthouse(lighthouse_bin, base + path, name) for name, path in pages.items()
            }
        finally:
            server.terminate()
            server.wait(timeout=10)
            media_server.stop()
    print(f"{'page':<9} " + " ".join(f"{key:>15}" for key in CATEGORIES))
    for name, row in scores.items():
        print(f"{name:<9} " + " ".join(f"{row[key]:>15}" for key in CATEGORIES))
    screenshot_scores(scores)
    print(f"Reports: {REPORTS}/; screenshots: docs/img/lighthouse-*.png")
    if any(score < 95 for row in scores.values() for score in row.values()):
        raise SystemExit("A score is below 95.")


if __name__ == "__main__":
    main()
