-- One database per service: no service reads another's tables.
CREATE DATABASE huhang_intake OWNER huhang;
CREATE DATABASE huhang_review OWNER huhang;
CREATE DATABASE huhang_notify OWNER huhang;
