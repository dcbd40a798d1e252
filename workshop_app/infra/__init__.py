"""Infrastructure the services and everything above them use: where files live (`paths`),
the log file (`logs`), process tuning (`process`) and the join link's QR code (`joinlink`).

Imports only core and third-party libraries; holds no workshop logic."""
