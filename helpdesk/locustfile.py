"""The bundled load generator's one user (``manage.py bench --load`` without wrk): a
signed-in agent fetching one page as fast as the server answers, over keep-alive."""

import os

from locust import FastHttpUser, constant, task


class Agent(FastHttpUser):
    wait_time = constant(0)

    @task
    def page(self) -> None:
        # Anything but the page itself fails, a redirect to the login page included.
        with self.client.get(
            os.environ["LOAD_PATH"], headers={"Cookie": os.environ["LOAD_COOKIE"]},
            allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
