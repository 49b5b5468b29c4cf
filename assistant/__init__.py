"""pia: question answering over 特定個人情報保護評価書, offline by default."""
