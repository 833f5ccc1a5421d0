"""The repository's root conftest: pytest hands a conftest's hooks only the files below its own
folder, and README.md lies here. The docs' blocks run as tests through tests/docs/_snippets.py;
pytester serves the tests that run pytest on a user's test file."""

pytest_plugins = ["pytester", "tests.docs._snippets"]
