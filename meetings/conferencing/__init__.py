"""The meeting's online room at a provider: Zoom through zoomus, or a link entered by hand."""
