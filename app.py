"""CX Lens: the Streamlit entry point (`streamlit run app.py`); everything lives in the cx.app package."""

from cx.app.main import main

main()
