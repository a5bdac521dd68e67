// Preloaded into the Provider framework's process: the framework answers CloudFormation with an
// HTTPS PUT to the ResponseURL, on port 443 of its host. Requests to 127.0.0.1 go instead, over
// plain HTTP, to the test's loopback ResponseURL endpoint on LOCAL_RESPONSE_URL_PORT. Nothing else
// of the framework's code is changed.
'use strict';

const http = require('http');
const https = require('https');

const port = Number(process.env.LOCAL_RESPONSE_URL_PORT);
const originalRequest = https.request;

https.request = function request(options, callback) {
  if (port && options && typeof options === 'object' && options.hostname === '127.0.0.1') {
    return http.request({ ...options, port }, callback);
  }
  return originalRequest.apply(this, arguments);
};
