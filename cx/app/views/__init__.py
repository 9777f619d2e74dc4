"""The page scripts, one per screen; st.navigation runs them by path (see cx/app/registry.py), nothing imports them."""
