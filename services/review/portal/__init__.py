"""The staff portal's own pages (门户): the home page of each role, the built assets, and the
pages about the session itself (ended by the idle timeout, the access-cookie refresh)."""
