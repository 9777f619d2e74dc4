"""CX Lens: customer-feedback analysis, the library (pure Python; see cx/threads.py for the thread policy)."""

from cx.threads import configure_environment

# Before numpy, scikit-learn or torch load their thread pools: the CLI, `cxlens app` (its server inherits the
# environment) and the batch path all run under one thread policy (CX_THREADS, see cx/threads.py).
configure_environment()
