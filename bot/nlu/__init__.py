"""The NLU's own intent classifier, used by Rasa and by the designers' check.

Nothing here imports the application: the Rasa environment (Python 3.10,
scikit-learn 1.1) loads these modules through config.yml, and the app
environment uses :mod:`bot.nlu.intent_model` for ``make nlu-check``.
"""
