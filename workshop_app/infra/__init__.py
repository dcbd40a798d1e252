"""Infrastructure the services and everything above them use: where files live (`paths`),
the log file (`logs`), process tuning (`process`), the join link's QR code (`joinlink`)
and the thread the facilitator's operations run on (`ops`).

Imports only core and third-party libraries; holds no workshop logic."""
