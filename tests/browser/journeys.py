#!/usr/bin/python3
"""The owner's journeys in a real browser: Chromium headless, driven by
Selenium, against a running `kennel serve`.

usage: journeys.py JOURNEY   (with URL, MAIL_DIR, KENNEL and KENNEL_DB set)

Each journey clicks and types as an owner would, on a phone-sized window,
and checks what the owner would see.  Exit 0 when it held, 1 with the
reason otherwise.
"""
import email
import glob
import os
import re
import subprocess
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import (StaleElementReferenceException, TimeoutException,
                                        WebDriverException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

URL = os.environ["URL"]
MAIL_DIR = os.environ["MAIL_DIR"]


class Failed(Exception):
    pass


def browser(javascript=False):
    opts = webdriver.ChromeOptions()
    # root needs --no-sandbox; a phone-sized window, and no JavaScript:
    # the portal must work without it (the accessibility check alone runs
    # axe-core, which is JavaScript)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--window-size=390,844", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"):
        opts.add_argument(arg)
    if not javascript:
        opts.add_experimental_option("prefs",
                                     {"profile.managed_default_content_settings.javascript": 2})
    opts.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def kennel(*args, stdin=None):
    return subprocess.run([os.environ["KENNEL"], *args], input=stdin, text=True,
                          capture_output=True, check=True).stdout


def expect(cond, what):
    if not cond:
        raise Failed(what)


def text(d):
    try:
        return d.find_element(By.TAG_NAME, "body").text
    except StaleElementReferenceException:
        return ""  # the page is being replaced
    except WebDriverException as e:
        if "does not belong to the document" in str(e):
            return ""
        raise


def wait_for(d, predicate, what, timeout=10):
    try:
        WebDriverWait(d, timeout).until(lambda drv: predicate(drv))
    except TimeoutException:
        raise Failed(f"{what} (page {d.current_url}: {text(d)[:300]!r})")


def fill(d, field, value):
    el = d.find_element(By.NAME, field)
    el.clear()
    el.send_keys(value)


def gone(element):
    """Whether an element left the document: Chromium says so either as a
    stale reference or, mid-navigation, as a node of another document."""
    def check(_driver):
        try:
            element.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as e:
            if "does not belong to the document" in str(e):
                return True
            raise
    return check


def submit(d, label):
    """Clicks the button and waits for the next page to replace this one."""
    old = d.find_element(By.TAG_NAME, "html")
    d.find_element(By.XPATH, f"//button[normalize-space()='{label}']").click()
    WebDriverWait(d, 30).until(gone(old))


def mail_link(to, path, timeout=10):
    """The link to this portal in the newest mail to an address."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for f in sorted(glob.glob(os.path.join(MAIL_DIR, "*.eml")), reverse=True):
            with open(f, "rb") as fh:
                msg = email.message_from_binary_file(fh)
            if msg["To"] != to:
                continue
            body = msg.get_payload(decode=True).decode("utf-8")
            m = re.search(re.escape(URL) + re.escape(path) + r"\S*", body)
            if m:
                return m.group(0)
        time.sleep(0.1)
    raise Failed(f"no mail to {to} with a {path} link in {MAIL_DIR}")


def log_in(d, username, password):
    d.get(URL + "/login")
    fill(d, "username", username)
    fill(d, "password", password)
    submit(d, "Log in")


def log_out(d):
    submit(d, "Log out")
    wait_for(d, lambda drv: "You are signed out." in text(drv), "signed out")


def journey_bulk_to_booking(d):
    """bulk-generated account -> reset link from the mail -> set password ->
    log in -> request boarding with an add-on -> staff approve -> the owner
    sees it approved -> log out"""
    kennel("-q", "creds", "bulk-generate")
    kennel("-q", "creds", "reset", "--all-generated", "--notify")
    kennel("-q", "mail", "send")
    link = mail_link("cy@example.com", "/reset?token=")
    d.get(link)
    expect("Set your password" in text(d), "the reset page opens from the mail's link")
    fill(d, "password", "walkies every day")
    fill(d, "confirm", "walkies every day")
    submit(d, "Set password")
    wait_for(d, lambda drv: "Your password is set." in text(drv), "the password is set")
    fill(d, "username", "cy@example.com")
    fill(d, "password", "walkies every day")
    submit(d, "Log in")
    wait_for(d, lambda drv: "Welcome, Cy." in text(drv), "the home page after login")
    d.find_element(By.LINK_TEXT, "Request boarding").click()
    wait_for(d, lambda drv: "Pick-up day" in text(drv), "the boarding form")
    expect("Leave a toy for your dog." in text(d), "the module's instructions at the top")
    d.find_element(By.XPATH, "//label[contains(., 'Biscuit')]/input").click()
    d.find_element(By.XPATH, "//label[contains(., 'Nail trim')]/input").click()
    # date inputs take the date as typed in the browser's locale: set them directly
    for field, value in (("start", "2026-12-20"), ("end", "2026-12-23")):
        el = d.find_element(By.NAME, field)
        d.execute_cdp_cmd("Runtime.evaluate", {"expression":
                          f"document.querySelector('[name={field}]').value = '{value}'"})
        expect(el.get_attribute("value") == value, f"{field} set to {value}")
    fill(d, "note", "She is shy at first")
    submit(d, "Send request")
    wait_for(d, lambda drv: "Your request was sent." in text(drv), "the request is sent")
    expect("Waiting for approval" in text(d), "the new request shows as waiting for approval")
    rid = kennel("request", "list", "--status", "pending", "--csv").strip().splitlines()[1].split(",")[0]
    kennel("-q", "request", "approve", rid)
    d.get(URL + "/requests")
    expect("Approved" in d.find_element(By.ID, "r" + rid).text, "the owner sees it approved")
    expect("Nail trim" in d.find_element(By.ID, "r" + rid).text, "with its add-on")
    d.get(URL + "/calendar?month=2026-12")
    expect("Biscuit: boarding · Approved" in text(d), "and on the calendar, in words")
    log_out(d)
    d.get(URL + "/")
    wait_for(d, lambda drv: "/login" in drv.current_url, "a page after logout goes to the login")


def journey_wrong_case(d):
    """a phone capitalised the username: the answer carries the hint"""
    log_in(d, "Ann", "a fine password 1")
    wait_for(d, lambda drv: "do not match an account" in text(drv), "the login fails")
    expect("Usernames and passwords are case sensitive" in text(d), "the case hint is shown")
    user = d.find_element(By.NAME, "username")
    expect(user.get_attribute("autocapitalize") == "none", "autocapitalize is off")
    expect(user.get_attribute("value") == "Ann", "the username is kept")
    expect(d.find_element(By.NAME, "password").get_attribute("value") == "", "the password is not")
    log_in(d, "ann", "a fine password 1")
    wait_for(d, lambda drv: "Welcome, Ann." in text(drv), "the right case gets in")


def journey_register(d):
    """register -> the confirmation link from the mail -> confirm -> home"""
    d.get(URL + "/login")
    d.find_element(By.LINK_TEXT, "Create an account").click()
    for field, value in (("first_name", "Dee"), ("last_name", "Fox"), ("email", "dee@example.com"),
                         ("phone", "555-0177"), ("password", "a fox in the garden"),
                         ("confirm", "a fox in the garden")):
        fill(d, field, value)
    submit(d, "Create account")
    wait_for(d, lambda drv: "Check your email" in text(drv), "the check-your-email page")
    d.get(mail_link("dee@example.com", "/register/confirm?token="))
    submit(d, "Create my account")
    wait_for(d, lambda drv: "Welcome, Dee." in text(drv), "the new owner's home page")
    log_out(d)
    log_in(d, "dee@example.com", "a fox in the garden")
    wait_for(d, lambda drv: "Welcome, Dee." in text(drv), "the new account logs in")


def journey_blocked(d):
    """five wrong passwords lock the username; the page says what to do"""
    for i in range(5):
        log_in(d, "ann", f"not it {i}")
        wait_for(d, lambda drv: "do not match an account" in text(drv), f"failure {i + 1}")
    log_in(d, "ann", "a fine password 1")
    wait_for(d, lambda drv: "Too many failed logins" in text(drv), "the lock is shown")
    expect("Forgot password" in text(d), "with the way out")


AXE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   "node_modules", "axe-core", "axe.min.js")
AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => ({
    id: v.id, impact: v.impact,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))
  .catch(e => done([{id: 'axe failed', impact: String(e), nodes: []}]));
"""


def violations(d, path):
    """axe-core's violations of every impact on the page at path."""
    d.get(URL + path)
    d.set_script_timeout(60)
    with open(AXE, encoding="utf-8") as f:
        source = f.read()
    return d.execute_async_script(source + AXE_RUN)


def journey_accessible(d):
    """Every page, logged out and in, at phone and desktop size: no axe-core
    violation of any impact."""
    expect(os.path.exists(AXE), f"no axe-core at {AXE}: run make deps")
    out = ["/login", "/forgot", "/register", "/register/sent", "/reset?token=nonsense",
           "/no-such-page"]
    inside = ["/", "/account", "/pets", "/pets/1", "/pets/new", "/requests",
              "/requests/new?service=boarding", "/requests/new?service=daycare",
              "/requests/new?service=grooming", "/calendar",
              "/calendar?month=2026-12", "/packages", "/billing", "/billing/orders/1",
              "/billing/statement?month=2026-11", "/packages/buy", "/visits",
              "/contact",
              "/requests/1/cancel", "/requests/1/change",
              os.environ.get("OFFER_PATH", "/offers/none"),
              "/offers/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]
    found = []
    for width, height in ((390, 844), (1280, 900)):
        d.set_window_size(width, height)
        for path in out:
            found += [(width, path, v) for v in violations(d, path)]
    log_in(d, "ann", "a fine password 1")
    if "OFFER_PATH" in os.environ:
        d.get(URL + os.environ["OFFER_PATH"])
        expect("Book it" in text(d), "the waitlist offer's page shows its button")
    for width, height in ((390, 844), (1280, 900)):
        d.set_window_size(width, height)
        for path in inside:
            found += [(width, path, v) for v in violations(d, path)]
    expect(not found, "; ".join(f"{p} at {w}px: {v['id']} ({v['impact']}) on {v['nodes']}"
                                for w, p, v in found))


def journey_billing(d):
    """The bill: the balance on home, the due invoice on /billing, the
    printable invoice with the business's pay link; paid at the desk, the
    bill says nothing is due."""
    log_in(d, "ann", "a fine password 1")
    wait_for(d, lambda drv: "Balance due: $25.00" in text(drv), "the balance on home")
    old = d.find_element(By.TAG_NAME, "html")
    d.find_element(By.PARTIAL_LINK_TEXT, "Balance due").click()
    WebDriverWait(d, 30).until(gone(old))
    expect(d.current_url == URL + "/billing", f"the balance leads to {d.current_url}")
    expect("Invoice 1" in text(d) and "$25.00 due" in text(d), "the due invoice on /billing")
    old = d.find_element(By.TAG_NAME, "html")
    d.find_element(By.PARTIAL_LINK_TEXT, "Invoice 1").click()
    WebDriverWait(d, 30).until(gone(old))
    pay = d.find_element(By.PARTIAL_LINK_TEXT, "Pay $25.00").get_attribute("href")
    expect(pay == "https://pay.example/happy?invoice=1&amount=25.00",
           f"the pay link is {pay}")
    kennel("-q", "payment", "add", "1", "25", "--method", "card")
    d.get(URL + "/billing")
    expect("Nothing is due. Thank you!" in text(d), "the bill after the payment")


def journey_papers(d):
    """Vet papers from the pet page: the file chosen in the browser's own
    file input, sent, listed as waiting for review."""
    log_in(d, "ann", "a fine password 1")
    wait_for(d, lambda drv: "Log out" in drv.page_source, "logged in")
    d.get(URL + "/pets/1")
    d.find_element(By.ID, "papers-file").send_keys(os.environ["PAPERS_FILE"])
    submit(d, "Send the papers")
    wait_for(d, lambda drv: "the papers were sent" in text(drv), "the papers sent")
    expect("rex-rabies.pdf, sent" in text(d) and "Waiting for review" in text(d),
           "the papers listed on the pet page")


JOURNEYS = {
    "papers": journey_papers,
    "billing": journey_billing,
    "bulk-to-booking": journey_bulk_to_booking,
    "wrong-case": journey_wrong_case,
    "register": journey_register,
    "blocked": journey_blocked,
    "accessible": journey_accessible,
}


def main():
    name = sys.argv[1]
    d = browser(javascript=(name == "accessible"))
    try:
        JOURNEYS[name](d)
    except Failed as e:
        print(f"{name}: {e}", file=sys.stderr)
        return 1
    finally:
        d.quit()
    print(f"{name}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
