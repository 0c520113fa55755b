"""Open the built documentation in headless Chromium and check that pages render.

    python docs/check_pages.py [docs/_build/html]

For the home page, the tutorial, the API reference, the numpy coverage, the
scipy pages (scipy.special, the bridge, implicit differentiation, ODE
sensitivities), uncertainty propagation, the performance page and four pages
of the gallery of examples (each of the last five with a figure):
the page loads, has its title and text, logs no console error, has no failed
request and no image that did not load, shows its figure, and a screenshot of it is kept in
docs/_build/screenshots/ (a build artefact, not committed). Uses Debian's
`chromium` (or an installed Google Chrome; no browser download) driven by Playwright. Exits 1 on a failure.
"""
import pathlib
import shutil
import sys

from playwright.sync_api import sync_playwright

PAGES = {  # page: a heading it must show
    "index.html": "dualnum",
    "tutorial.html": "Tutorial: derivatives the way a calculus course meets them",
    "api.html": "API reference",
    "numpy-coverage.html": "numpy coverage",
    "performance.html": "Performance",
    "scipy-special.html": "scipy.special",
    "scipy-bridge.html": "scipy’s optimisers with dualnum’s derivatives",  # Sphinx curls the quotes
    "implicit.html": "Implicit differentiation: through root finders and minimisers",
    "ode-sensitivities.html": "ODE sensitivities",
    "uncertainty.html": "Uncertainty propagation",
    "vector-calculus.html": "Vector calculus: Laplacian, divergence, curl",
    "sparse-hessians.html": "Sparse Hessians",
    "complex.html": "Complex numbers",
    "gallery/gradient_descent.html": "Gradient descent on the Rosenbrock function, written with numpy.",
    "gallery/ode_sensitivities.html":
        "ODE sensitivities: y and dy/dk of y’ = -k y through dualnum.scipy.solve_ivp.",
    "gallery/implicit_differentiation.html":
        "Sensitivity of an equilibrium: differentiate through a root finder.",
    "gallery/uncertainty_propagation.html": "Error bands of a fitted curve, by uncertainty propagation.",
    "gallery/laplacian_grid.html": "The Laplacian, divergence and curl on a grid, in one pass each.",
    "gallery/sparse_hessian.html": "Sparse Hessians: a detected pattern and its star colouring.",
    "gallery/complex_phase.html": "Complex derivatives: the stretch of a conformal map.",
    "gallery/threads.html": "Threads: a million-point derivative on every core, the same bits.",
}
FIGURES = {  # page: the CSS selector of the figure it must show
    "performance.html": "article img",
    "gallery/gradient_descent.html": "img.sphx-glr-single-img",  # the figure the script drew
    "gallery/ode_sensitivities.html": "img.sphx-glr-single-img",
    "gallery/implicit_differentiation.html": "img.sphx-glr-single-img",
    "gallery/uncertainty_propagation.html": "img.sphx-glr-single-img",
    "gallery/laplacian_grid.html": "img.sphx-glr-single-img",
    "gallery/sparse_hessian.html": "img.sphx-glr-single-img",
    "gallery/complex_phase.html": "img.sphx-glr-single-img",
    "gallery/threads.html": "img.sphx-glr-single-img",
}
# every <img> has arrived and decoded to a picture of non-zero size
IMAGES_STATE = """() => Array.from(document.images).map(img => ({
    src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0}))"""
FIGURE_SHOWN = """selector => Array.from(document.querySelectorAll(selector)).some(
    img => img.complete && img.naturalWidth > 0)"""


def chromium_path():
    # Debian's and Ubuntu's Chromium, or the Google Chrome of GitHub's Ubuntu runners
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("no chromium on PATH: apt-get install -y chromium")


def check_page(browser, url, heading, figure, screenshot):
    problems = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("console", lambda message: message.type == "error"
            and problems.append(f"console error: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: problems.append(
        f"request failed: {request.url} ({request.failure})"))
    response = page.goto(url, wait_until="networkidle")
    if response is None or not response.ok:
        problems.append(f"loading it gave {response and response.status}")
    h1 = page.locator("h1").first.inner_text().strip().rstrip("#¶").strip()
    if h1 != heading:
        problems.append(f"its heading is {h1!r}, not {heading!r}")
    if len(page.locator("article").inner_text()) < 200:
        problems.append("it shows almost no text")
    images = page.evaluate(IMAGES_STATE)
    problems += [f"image not loaded: {image['src']}" for image in images if not image["loaded"]]
    if figure and not page.evaluate(FIGURE_SHOWN, figure):
        problems.append(f"no figure ({figure}) shown")
    page.screenshot(path=screenshot, full_page=True)
    page.close()
    return problems, len(images)


def main():
    site = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "docs/_build/html").resolve()
    screenshots = site.parent / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    failed = False
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        for name, heading in PAGES.items():
            screenshot = screenshots / name.replace("/", "-").replace(".html", ".png")
            problems, images = check_page(browser, (site / name).as_uri(), heading,
                                          FIGURES.get(name), screenshot)
            status = "FAILED" if problems else "ok"
            print(f"{status} {name}: {images} images, screenshot {screenshot}")
            for problem in problems:
                print(f"    {problem}")
            failed = failed or bool(problems)
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
