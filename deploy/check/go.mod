module github.com/spanflame/spanflame/deploy/check

go 1.26.5

require go.yaml.in/yaml/v3 v3.0.5
