"""The web app: demo website, tracking API, lead API and sales inbox."""
