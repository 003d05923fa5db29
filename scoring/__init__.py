"""Pure lead scoring: rules in, an explained score card out."""
