"""Taking a session live: the join QR code and link, the agenda, who has joined, help requests."""
