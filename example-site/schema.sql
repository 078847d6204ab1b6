-- The example site's tables and seed data. CandyPack applies this file the first time the site's database is
-- empty, on MariaDB/MySQL and on the embedded SQLite default alike: text inside /*! ... */ is read by MySQL and
-- MariaDB only, so AUTO_INCREMENT reaches them while SQLite's INTEGER PRIMARY KEY numbers rows by itself.

CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY /*!40101 AUTO_INCREMENT */,
  name VARCHAR(100) NOT NULL,
  email VARCHAR(190) NOT NULL UNIQUE,
  active TINYINT(1) NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS posts (
  id INTEGER PRIMARY KEY /*!40101 AUTO_INCREMENT */,
  user_id INTEGER NOT NULL,
  title VARCHAR(200) NOT NULL,
  body TEXT NOT NULL,
  published TINYINT(1) NOT NULL DEFAULT 1,
  tags JSON NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX posts_user_id ON posts (user_id);

INSERT INTO users (id, name, email) VALUES
  (1, 'Ada', 'ada@example.com'),
  (2, 'Grace', 'grace@example.com'),
  (3, 'Linus', 'linus@example.com'),
  (4, 'Barbara', 'barbara@example.com'),
  (5, 'Dennis', 'dennis@example.com');

INSERT INTO posts (id, user_id, title, body, tags) VALUES
  (1, 2, 'Post 1', 'The body of post 1.', '["guide", "sse"]'),
  (2, 3, 'Post 2', 'The body of post 2.', '["release"]'),
  (3, 4, 'Post 3', 'The body of post 3.', '[]'),
  (4, 5, 'Post 4', 'The body of post 4.', '["data"]'),
  (5, 1, 'Post 5', 'The body of post 5.', '["news"]'),
  (6, 2, 'Post 6', 'The body of post 6.', '["guide", "sse"]'),
  (7, 3, 'Post 7', 'The body of post 7.', '["release"]'),
  (8, 4, 'Post 8', 'The body of post 8.', '[]'),
  (9, 5, 'Post 9', 'The body of post 9.', '["data"]'),
  (10, 1, 'Post 10', 'The body of post 10.', '["news"]'),
  (11, 2, 'Post 11', 'The body of post 11.', '["guide", "sse"]'),
  (12, 3, 'Post 12', 'The body of post 12.', '["release"]'),
  (13, 4, 'Post 13', 'The body of post 13.', '[]'),
  (14, 5, 'Post 14', 'The body of post 14.', '["data"]'),
  (15, 1, 'Post 15', 'The body of post 15.', '["news"]'),
  (16, 2, 'Post 16', 'The body of post 16.', '["guide", "sse"]'),
  (17, 3, 'Post 17', 'The body of post 17.', '["release"]'),
  (18, 4, 'Post 18', 'The body of post 18.', '[]'),
  (19, 5, 'Post 19', 'The body of post 19.', '["data"]'),
  (20, 1, 'Post 20', 'The body of post 20.', '["news"]'),
  (21, 2, 'Post 21', 'The body of post 21.', '["guide", "sse"]'),
  (22, 3, 'Post 22', 'The body of post 22.', '["release"]'),
  (23, 4, 'Post 23', 'The body of post 23.', '[]'),
  (24, 5, 'Post 24', 'The body of post 24.', '["data"]'),
  (25, 1, 'Post 25', 'The body of post 25.', '["news"]');
