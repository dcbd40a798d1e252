"""The desktop interface: thin PySide6 widgets over the services. The only Qt package."""
